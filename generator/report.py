"""The diff report: what `diff` found, as text for a terminal, Markdown for a pull request, or JSON for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from generator.api_diff import ApiChange
from generator.diff import LEVELS, Change
from generator.overlay import Action
from generator.templating import document_environment

__all__ = ["DiffReport", "OverlayFinding", "fails", "overlay_findings", "render_report"]


@dataclass(frozen=True)
class OverlayFinding:
    """What became of one overlay action on the new side."""

    index: int
    description: str
    target: str
    level: str
    message: str

    def as_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "description": self.description,
            "target": self.target,
            "level": self.level,
            "message": self.message,
        }


@dataclass
class DiffReport:
    changes: list[Change]
    python_api: list[ApiChange]
    overlay: list[OverlayFinding] = field(default_factory=list)
    bump: str = "none"

    def levels(self) -> list[str]:
        return [c.level for c in self.changes] + [f.level for f in self.overlay]

    def as_json(self) -> dict[str, object]:
        return {
            "changes": [c.as_json() for c in self.changes],
            "python_api": [a.as_json() for a in self.python_api],
            "overlay": [f.as_json() for f in self.overlay],
            "bump": self.bump,
        }


def overlay_findings(outcomes: list[tuple[Action, str]]) -> list[OverlayFinding]:
    findings = []
    for action, outcome in outcomes:
        if outcome == "stale":
            message = "matches nothing on the new side: this customisation stopped applying"
            findings.append(OverlayFinding(action.index, action.description, action.target, "WARN", message))
        elif outcome == "redundant":
            message = "the new spec already says what this update adds: the action can be dropped"
            findings.append(OverlayFinding(action.index, action.description, action.target, "INFO", message))
    return findings


def fails(report: DiffReport, fail_on: str | None) -> bool:
    """True when a change at ``fail_on``'s level or above occurs."""
    if fail_on is None:
        return False
    threshold = LEVELS.index(fail_on)
    return any(LEVELS.index(level) <= threshold for level in report.levels())


def render_report(report: DiffReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
    env = document_environment("report")
    counts = {level: sum(1 for x in report.levels() if x == level) for level in LEVELS}
    groups: dict[str, list[Change]] = {}
    for change in report.changes:
        if change.operation:
            key = f"`{change.operation}`"
        elif change.location.startswith("/components/schemas/"):
            key = f"schema `{change.location.split('/')[3]}`"
        else:
            key = "document"
        groups.setdefault(key, []).append(change)
    template = "diff.md.jinja2" if fmt == "markdown" else "diff.txt.jinja2"
    return env.get_template(template).render(report=report, counts=counts, groups=groups, levels=LEVELS)
