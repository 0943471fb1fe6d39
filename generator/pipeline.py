"""The pipeline from files to files: read → overlay → normalise → render, and ingest. I/O stays here and in write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.config import DEFAULT_API, GenerateOptions
from generator.documents import dump_yaml, read_document, require_openapi
from generator.errors import CodegenError
from generator.ingest import find_pages, ingest, read_fragments
from generator.normalise import normalise
from generator.overlay import apply_overlay, parse_overlay
from generator.render import render_package

__all__ = ["effective_spec", "ingest_pages", "package_files"]


def ingest_pages(docs: Path, out: Path, api: str = DEFAULT_API) -> str:
    """The canonical spec text for the pages of one API under ``docs``."""
    fragments = []
    for page in find_pages(docs, api):
        fragments.extend(read_fragments(page, page.relative_to(docs.parent).as_posix()))
    return dump_yaml(ingest(fragments, out))


def effective_spec(options: GenerateOptions) -> dict[str, Any]:
    """The vendor spec with the overlay applied (or as it is, without one), checked as OpenAPI 3.0/3.1."""
    spec = read_document(options.spec)
    require_openapi(spec, options.spec)
    if options.overlay is None:
        return spec
    actions = parse_overlay(read_document(options.overlay), options.overlay)
    result = apply_overlay(spec, actions, options.overlay)
    require_openapi(result, f"{options.spec} + {options.overlay}")
    return result


def package_files(options: GenerateOptions) -> tuple[dict[str, str], dict[str, Any]]:
    """Every file of the package `generate` writes, and the effective spec it was rendered from."""
    if not options.package.isidentifier():
        raise CodegenError("--package", f"{options.package!r} is not a valid Python package name")
    effective = effective_spec(options)
    where = str(options.overlay) if options.overlay else str(options.spec)
    engine_input, plan = normalise(effective, where)
    source = options.spec.name + (f" + {options.overlay.name}" if options.overlay else "")
    return render_package(engine_input, plan, source, where), effective
