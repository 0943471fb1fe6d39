"""Update: take a vendor update in one step — re-ingest the pages, classify what changed, then regenerate.

`plan_update` re-ingests the pages in memory and compares the result with the spec on disk (the committed one),
with the overlay applied to both sides as `diff --overlay` does: the classified changes, the Python API effect, the
suggested bump and every stale or redundant overlay action. `apply_update` then writes the spec and regenerates
``--out``; a stale overlay action stops it before anything is written, naming every stale action at once.
Reading and writing go through the pipeline's and the documents' functions; this module only orders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.bundle import bundle
from generator.config import GenerateOptions
from generator.documents import parse_document, read_document, require_openapi, write_text_atomic
from generator.manifest import MANIFEST, remember_render
from generator.names import lock_in
from generator.overlay import apply_overlay, apply_overlay_report, parse_overlay
from generator.pipeline import compare_specs, generate_files, ingest_pages, read_spec_source
from generator.report import DiffReport, overlay_findings
from generator.reuse import state_to_json
from generator.write import write_tree

__all__ = ["UpdatePlan", "apply_update", "plan_update"]


@dataclass(frozen=True)
class UpdatePlan:
    """The re-ingested spec text and how it differs from the committed one (None when there is none yet)."""

    text: str
    new: dict[str, Any]
    report: DiffReport | None


def _bundled(text: str, options: GenerateOptions) -> dict[str, Any]:
    document = bundle(parse_document(text, options.spec), options.spec, allow_external=options.allow_external_refs)
    require_openapi(document, options.spec)
    return document


def plan_update(docs: Path, api: str, options: GenerateOptions) -> UpdatePlan:
    """Re-ingest ``docs`` and classify the changes against the spec on disk; nothing is written."""
    text = ingest_pages(docs, options.spec, api)
    new = _bundled(text, options)
    if not options.spec.exists():
        return UpdatePlan(text, new, None)
    old = read_spec_source(str(options.spec))
    findings = []
    old_side, new_side = old, new
    if options.overlay is not None:
        actions = parse_overlay(read_document(options.overlay), options.overlay)
        old_side, _ = apply_overlay_report(old, actions, options.overlay)
        new_side, outcomes = apply_overlay_report(new, actions, options.overlay)
        findings = overlay_findings(outcomes)
    # The old side is rendered with the names recorded in --out, as it was generated; the new side keeps them.
    lock = lock_in(options.out)
    old_name, new_name = f"{options.spec} (committed)", f"{options.spec} (re-ingested)"
    report = compare_specs(old_side, new_side, old_name, new_name, lock=lock)
    report.overlay = findings
    return UpdatePlan(text, new, report)


def apply_update(options: GenerateOptions, plan: UpdatePlan) -> int:
    """Write the re-ingested spec and regenerate ``--out``; return how many files were written.

    A stale overlay action (every one is named) or any other error leaves the spec and ``--out`` as they were.
    """
    if options.overlay is not None:
        # Raises, naming every stale action, before anything is written.
        apply_overlay(plan.new, parse_overlay(read_document(options.overlay), options.overlay), options.overlay)
    previous = options.spec.read_bytes() if options.spec.exists() else None
    write_text_atomic(options.spec, plan.text)
    try:
        files, _, state = generate_files(options, keep_effective=False)
        write_tree(options.out, files)
        if state is not None:
            remember_render(files[MANIFEST], state_to_json(state))
    except BaseException:
        if previous is None:
            options.spec.unlink(missing_ok=True)
        else:
            write_text_atomic(options.spec, previous.decode("utf-8"))
        raise
    return len(files)
