"""The diff report: what `diff` found, as text for a terminal, Markdown for a pull request, JSON for machines, or
GitHub workflow annotations (``::error title=…::…``) for a pull request's checks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from generator.api_diff import ApiChange
from generator.diff import LEVELS, Change
from generator.diff.policy import IgnoreEntry
from generator.overlay import Action
from generator.templating import document_environment

__all__ = ["FORMATS", "DiffReport", "OverlayFinding", "fails", "overlay_findings", "render_report"]

FORMATS = ("text", "markdown", "json", "github")
_GITHUB_COMMANDS = {"ERR": "error", "WARN": "warning", "INFO": "notice"}


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
    """Everything `diff` reports: spec changes, Python API changes (or why they are absent), overlay findings,
    ignore entries that no longer match anything, and the suggested bump."""

    changes: list[Change]
    python_api: list[ApiChange]
    overlay: list[OverlayFinding] = field(default_factory=list)
    bump: str = "none"
    python_api_absent: str | None = None
    stale_ignores: list[IgnoreEntry] = field(default_factory=list)

    def levels(self) -> list[str]:
        """The level of every finding: spec changes, Python API changes (a break is ERR) and overlay findings."""
        return [c.level for c in self.changes] + [a.level for a in self.python_api] + [f.level for f in self.overlay]

    def as_json(self) -> dict[str, object]:
        """The report as a JSON object."""
        return {
            "changes": [c.as_json() for c in self.changes],
            "python_api": [a.as_json() for a in self.python_api],
            "python_api_absent": self.python_api_absent,
            "overlay": [f.as_json() for f in self.overlay],
            "stale_ignores": [e.as_json() for e in self.stale_ignores],
            "bump": self.bump,
        }


def overlay_findings(outcomes: list[tuple[Action, str]]) -> list[OverlayFinding]:
    """What the overlay's outcomes on the new side mean for the reviewer."""
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
    """True when a change at ``fail_on``'s level or above occurs (Python API breaks count as ERR, so ``ERR``
    fails exactly when the suggested bump is major)."""
    if fail_on is None:
        return False
    threshold = LEVELS.index(fail_on)
    return any(LEVELS.index(level) <= threshold for level in report.levels())


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(report: DiffReport) -> str:
    """One workflow command per finding: ``::error title=<id>::<message>`` (warning for WARN, notice for INFO)."""
    lines = []
    for change in report.changes:
        command = _GITHUB_COMMANDS[change.level]
        lines.append(f"::{command} title={_escape_property(change.id)}::{_escape_data(change.message)}")
    for api in report.python_api:
        command = _GITHUB_COMMANDS[api.level]
        lines.append(f"::{command} title={_escape_property('python-api ' + api.id)}::{_escape_data(api.message)}")
    if report.python_api_absent:
        lines.append(f"::notice title=python-api::{_escape_data(report.python_api_absent)}")
    for finding in report.overlay:
        title = _escape_property(f"overlay action {finding.index}")
        lines.append(f"::{_GITHUB_COMMANDS[finding.level]} title={title}::{_escape_data(finding.message)}")
    for entry in report.stale_ignores:
        message = f"ignore entry {entry.id} at {entry.location} matches no change any more"
        lines.append(f"::warning title=stale-ignore::{_escape_data(message)}")
    lines.append(f"::notice title=suggested bump::{report.bump}")
    return "\n".join(lines) + "\n"


def render_report(report: DiffReport, fmt: str) -> str:
    """The report in one of ``FORMATS``."""
    if fmt == "json":
        return json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return _github(report)
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
