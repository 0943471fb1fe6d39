"""The pipeline from files to files: read → overlay → normalise → render, and ingest. I/O stays here and in write."""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import documents
from generator.bundle import bundle
from generator.config import DEFAULT_API, GenerateOptions
from generator.documents import dump_yaml, parse_document, read_document, require_openapi, write_text_atomic
from generator.errors import CodegenError
from generator.manifest import (
    MANIFEST,
    build_manifest,
    recall_render,
    remember_render,
    same_inputs,
    toolchain_fingerprint,
)
from generator.names import lock_in, names_to_json, recorded_in
from generator.normalise import Names, Plan, check_package_name, normalise, package_name_for, project_urls
from generator.reference_page import PreviousPage, page_state_from_json, page_state_to_json
from generator.release import (
    REFERENCE,
    Release,
    changelog_notes,
    compile_document_templates,
    distribution,
    load_history,
    next_version,
)
from generator.render import Rendered, compile_package_templates, load_engine, render_package
from generator.reuse import Previous, RenderState, state_from_json
from generator.safeio import read_regular_bytes
from generator.templating import COMPILED, take_compiled
from generator.workers import run_beside, usable_cores
from generator.write import compare_tree, stale_paths

if TYPE_CHECKING:
    from generator.api_diff import ApiChange
    from generator.report import DiffReport, OverlayFinding

# `generate` needs none of diff, ingest, the API diff or the report (nor the overlay's JSONPath when there is no
# overlay): they are imported by the functions that use them, so that start-up, a large part of `generate` on a
# small spec, does not pay for them.

__all__ = [
    "ReleasePlan",
    "compare_specs",
    "diff_sources",
    "effective_spec",
    "generate_files",
    "ingest_pages",
    "package_files",
    "plan_release",
    "read_spec_source",
    "record_release",
    "release_blockers",
    "render_named",
    "render_spec",
    "require_current",
]

GIT_TIMEOUT_SECONDS = 60
"""How long one git command reading a spec from history may take."""


def ingest_pages(docs: Path, out: Path, api: str = DEFAULT_API) -> str:
    """The canonical spec text for the pages of one API under ``docs``."""
    from generator.ingest import find_pages, ingest, read_fragments

    fragments = []
    for page in find_pages(docs, api):
        fragments.extend(read_fragments(page, page.relative_to(docs.parent).as_posix()))
    return dump_yaml(ingest(fragments, out))


def effective_spec(options: GenerateOptions, loaded: list[Path] | None = None) -> dict[str, Any]:
    """The vendor spec with the overlay applied (or as it is, without one), checked as OpenAPI 3.0/3.1.

    Every file read is appended to ``loaded`` when it is given.
    """
    spec = bundle(read_document(options.spec), options.spec, allow_external=options.allow_external_refs, loaded=loaded)
    require_openapi(spec, options.spec)
    if loaded is not None:
        loaded.append(options.spec)
    if options.overlay is None:
        return spec
    from generator.overlay import apply_overlay, parse_overlay  # JSONPath is loaded only when there is an overlay

    actions = parse_overlay(read_document(options.overlay), options.overlay)
    if loaded is not None:
        loaded.append(options.overlay)
    result = apply_overlay(spec, actions, options.overlay)
    require_openapi(result, f"{options.spec} + {options.overlay}")
    return result


def render_named(
    effective: dict[str, Any],
    where: str | Path,
    source: str,
    lock: Names | None = None,
    previous: Previous | None = None,
    *,
    keep_state: bool = False,
    jobs: int = 0,
) -> tuple[Rendered, Names]:
    """The models package for an effective spec (its files, and with ``keep_state`` what the next generation can
    reuse) and the derived names it holds (the next generation's lock); ``lock``: the names an earlier generation
    derived; ``previous``: the earlier rendering whose modules may be kept; ``where`` names the document in errors;
    ``jobs``: the cores the engine may use (0: every usable one)."""
    engine_input, plan = normalise(effective, where, lock)
    rendered = render_package(engine_input, plan, source, where, previous, keep_state=keep_state, jobs=jobs)
    return rendered, recorded_in(plan.names, rendered.files)


def render_spec(effective: dict[str, Any], where: str | Path, source: str, lock: Names | None = None) -> dict[str, str]:
    """Every file of the models package for an effective spec (``render_named`` without the names)."""
    return render_named(effective, where, source, lock)[0].files


def _previous(out: Path, package: str, recalled: tuple[dict[str, Any], dict[str, str]] | None) -> Previous | None:
    """The rendering this machine last wrote into ``out`` (``recalled``: its states and the manifest's hashes), with
    a reader of its modules that gives only bytes the manifest records (``generator.reuse``), or None when there is
    none to trust."""
    state = state_from_json(recalled[0].get("render")) if recalled is not None else None
    if recalled is None or state is None:
        return None
    hashes = recalled[1]

    def read(module: str) -> str | None:
        name = f"{package}/{module}.py"
        try:
            data = read_regular_bytes(out / name, documents.MAX_BYTES)
            if hashlib.sha256(data).hexdigest() != hashes.get(name):
                return None
            return data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return Previous(state, read)


def _previous_page(out: Path, recalled: tuple[dict[str, Any], dict[str, str]] | None) -> PreviousPage | None:
    """The reference page this machine last wrote into ``out`` and its state (``generator.reference_page``), when
    the page's bytes have the hash the manifest and the state record; None otherwise."""
    state = page_state_from_json(recalled[0].get("reference")) if recalled is not None else None
    if recalled is None or state is None or recalled[1].get(REFERENCE) != state.digest:
        return None
    try:
        data = read_regular_bytes(out / REFERENCE, documents.MAX_BYTES)
        digest = hashlib.sha256(data).hexdigest()
        return PreviousPage(state, data.decode("utf-8"), digest) if digest == state.digest else None
    except (OSError, UnicodeDecodeError):
        return None


def package_files(options: GenerateOptions) -> tuple[dict[str, str], dict[str, Any]]:
    """Every file `generate` writes under ``--out`` (the distribution: metadata, docs and the package),
    and the effective spec it was rendered from; rendered in full, nothing reused."""
    files, effective, _ = generate_files(options, reuse=False)
    assert effective is not None
    return files, effective


def generate_files(
    options: GenerateOptions, *, reuse: bool = True, keep_effective: bool = True
) -> tuple[dict[str, str], dict[str, Any] | None, RenderState | None]:
    """``package_files`` for `generate`, and what the next generation can reuse: with ``reuse``, the modules a
    spec change cannot affect are kept from the package this machine last wrote into ``--out``
    (``generator.reuse``). Without ``keep_effective``, the effective spec is let go as soon as the engine's input
    is made from it, before the engine runs (which is when memory peaks), and None is returned in its place; the
    engine's input is then made in a second process while this one loads the engine."""
    read = None if keep_effective else _read_beside_the_engine(options, reuse=reuse)
    read = read or _read_inputs(options, reuse=reuse, keep_effective=keep_effective)
    previous = _previous(options.out, read.package, read.recalled)
    rendered = render_package(
        read.engine_input,
        read.plan,
        read.source,
        read.where,
        previous,
        keep_state=reuse,
        jobs=options.jobs,
        toolchain=read.toolchain,
    )
    read.engine_input = {}  # let go: nothing after rendering reads it
    models, names = rendered.files, recorded_in(read.plan.names, rendered.files)
    history = load_history(options.releases)
    page_before = _previous_page(options.out, read.recalled)
    files, page = distribution(
        read.package, read.title, models, history, read.urls, page_before, rendered.read, read.toolchain
    )
    files.update({f"{read.package}/{name}": text for name, text in models.items()})
    loaded = read.loaded
    if options.releases is not None:
        loaded.append(options.releases / "index.yaml")
    recorded = names_to_json(names)
    files[MANIFEST] = build_manifest(options.out, options.manifest_key(), loaded, files, recorded, read.toolchain)
    if reuse:
        # Kept now, before the tree is written: the state proves itself (the digests of the page and of each
        # module), so it can serve nothing stale even if this manifest never reaches the disk.
        remember_render(files[MANIFEST], page_state_to_json(page), kind="reference")
    return files, read.effective, rendered.state


@dataclass
class _EngineInputs:
    """What `generate_files` reads and derives before the engine runs."""

    loaded: list[Path]
    """The input files read, for the manifest."""
    where: str
    source: str
    package: str
    title: str
    urls: dict[str, str]
    recalled: tuple[dict[str, Any], dict[str, str]] | None
    engine_input: dict[str, Any]
    plan: Plan
    effective: dict[str, Any] | None
    toolchain: str
    """`toolchain_fingerprint`: read once (it reads every file of the generator and its templates), used three times."""


def _read_beside_the_engine(options: GenerateOptions, *, reuse: bool) -> _EngineInputs | None:
    """`_read_inputs` in a forked process while this one imports the engine, which takes about as long on a small
    spec (`generator.workers.run_beside`); that process also compiles the project's own templates for this one.
    None where there is no second core (or ``--jobs 1``), when that process fails (the caller then reads the
    inputs itself, so an error in them is reported the same way every time), and when ``--out`` holds what this
    machine last generated from these very inputs: every module will most likely be kept, the engine will not run,
    and importing it would only cost time (0.07 s of a small spec's 0.26 s regeneration)."""
    if options.jobs == 1 or usable_cores() < 2 or (reuse and same_inputs(options.out, options.manifest_key())):
        return None

    def read() -> tuple[_EngineInputs, dict[str, bytes]]:
        inputs = _read_inputs(options, reuse=reuse, keep_effective=False)
        compile_package_templates()
        compile_document_templates()
        return inputs, COMPILED.store

    beside = run_beside(read, load_engine)
    if beside is None:
        return None
    inputs, compiled = beside
    take_compiled(compiled)
    return inputs


def _read_inputs(options: GenerateOptions, *, reuse: bool, keep_effective: bool) -> _EngineInputs:
    """The inputs read, and the engine's input made from them (the effective spec kept with ``keep_effective``)."""
    if options.package is not None:
        check_package_name(options.package)
    loaded: list[Path] = []
    effective = effective_spec(options, loaded)
    where = str(options.overlay) if options.overlay else str(options.spec)
    source = options.spec.name + (f" + {options.overlay.name}" if options.overlay else "")
    package = options.package or package_name_for(effective)
    title = str((effective.get("info") or {}).get("title") or package)
    urls = project_urls(effective, where)
    recalled = recall_render(options.out) if reuse else None
    engine_input, plan = normalise(effective, where, lock_in(options.out))
    kept = effective if keep_effective else None
    toolchain = toolchain_fingerprint()
    return _EngineInputs(loaded, where, source, package, title, urls, recalled, engine_input, plan, kept, toolchain)


def _git(args: list[str], source: str, shown: tuple[str, str] = ("", "")) -> bytes:
    """Run one read-only git command; its stdout, or a CodegenError naming ``source`` with git's last line
    (in which ``shown[0]``, a commit id, is replaced by ``shown[1]``, the revision the user gave)."""
    try:
        ran = subprocess.run(["git", *args], capture_output=True, check=False, timeout=GIT_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CodegenError(source, f"cannot run git: {exc}") from None
    if ran.returncode != 0:
        reason = (ran.stderr.decode("utf-8", "replace").strip().splitlines() or [f"git {args[0]} failed"])[-1]
        if shown[0]:
            reason = reason.replace(shown[0], shown[1])
        raise CodegenError(source, f"cannot read from git: {reason}")
    return ran.stdout


def _read_git_blob(source: str, revision: str, inner: str) -> str:
    """The text of ``inner`` at ``revision``. The revision is resolved to a commit id first (never read as an
    option: it may not start with ``-``, and comes after ``--end-of-options``), and the blob is then read by that
    id, so nothing the user typed reaches git where an option could be."""
    if not revision or revision.startswith("-") or any(ord(c) < 0x20 or c == "\x7f" for c in source):
        raise CodegenError(source, f"{revision!r} is not a git revision (REV:PATH, REV may not start with '-')")
    if not inner:
        raise CodegenError(source, "no path after the revision (REV:PATH)")
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], source)
    commit_id = commit.decode("ascii", "replace").strip()
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit_id):
        raise CodegenError(source, f"cannot read from git: {revision!r} is not a commit")
    size = _git(["cat-file", "-s", f"{commit_id}:{inner}"], source, (commit_id, revision))
    if int(size.strip() or 0) > documents.MAX_BYTES:
        raise CodegenError(source, f"document larger than {documents.MAX_BYTES} bytes")
    blob = _git(["cat-file", "blob", f"{commit_id}:{inner}"], source, (commit_id, revision))
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodegenError(source, f"not UTF-8 text (byte {exc.start})") from None


def read_spec_source(source: str) -> dict[str, Any]:
    """An OpenAPI document from a file, or from git as ``REV:PATH`` (``origin/main:specs/workflows.yaml``)."""
    path = Path(source)
    if ":" in source and not path.exists():
        revision, _, inner = source.partition(":")
        document = parse_document(_read_git_blob(source, revision, inner), source)
    else:
        document = bundle(read_document(path), path)
    require_openapi(document, source)
    return document


def diff_sources(
    old_source: str,
    new_source: str,
    overlay: Path | None,
    *,
    ignore: Path | None = None,
    levels: dict[str, str] | None = None,
    match_path: str | None = None,
) -> DiffReport:
    """Compare two specs (files or REV:PATH), with the overlay applied to both when one is given; then the user's
    level overrides, the ``match_path`` filter and the ignore file, and the bump of what remains."""
    from generator.diff import suggest_bump
    from generator.diff.policy import apply_ignores, match_paths, override_levels, parse_ignores
    from generator.report import overlay_findings

    old, new = read_spec_source(old_source), read_spec_source(new_source)
    entries = parse_ignores(read_document(ignore), str(ignore)) if ignore is not None else []
    overlay_entries: list[OverlayFinding] = []
    if overlay is not None:
        from generator.overlay import apply_overlay_report, parse_overlay

        actions = parse_overlay(read_document(overlay), overlay)
        old, _ = apply_overlay_report(old, actions, overlay)
        new, outcomes = apply_overlay_report(new, actions, overlay)
        require_openapi(old, f"{old_source} + {overlay}")
        require_openapi(new, f"{new_source} + {overlay}")
        overlay_entries = overlay_findings(outcomes)
    report = compare_specs(old, new, old_source, new_source)
    report.overlay = overlay_entries
    changes = override_levels(report.changes, levels or {})
    if match_path is not None:
        changes = match_paths(changes, match_path)
    report.changes, report.stale_ignores = apply_ignores(changes, entries)
    report.bump = suggest_bump(report.changes, [a.id for a in report.python_api])
    return report


def compare_specs(
    old: dict[str, Any],
    new: dict[str, Any],
    old_name: str,
    new_name: str,
    new_files: dict[str, str] | None = None,
    lock: Names | None = None,
) -> DiffReport:
    """The classified spec changes, the generated Python API's changes and the suggested bump from ``old`` to
    ``new`` (``new_files``: the package already rendered from ``new``, when the caller has it; ``lock``: the names
    recorded where the package is generated, which the old side is rendered with)."""
    from generator.diff import diff_specs, suggest_bump
    from generator.report import DiffReport

    changes = diff_specs(old, new)
    api_changes, absent = _python_api(old, new, old_name, new_name, new_files, lock)
    report = DiffReport(changes, api_changes, [], suggest_bump(changes, [a.id for a in api_changes]))
    report.python_api_absent = absent
    return report


def _python_api(
    old: dict[str, Any],
    new: dict[str, Any],
    old_name: str,
    new_name: str,
    new_files: dict[str, str] | None,
    lock: Names | None = None,
) -> tuple[list[ApiChange], str | None]:
    """The Python API changes, or why they cannot be computed: `diff` accepts any valid OpenAPI document, while
    the generator needs component schemas (and refuses what it cannot render safely).

    The new side keeps the names the old side derived, as `generate` into the same folder would: a class added
    next to one whose name it could have taken is the one that gets a number, so a pure addition is no rename."""
    from generator.api_diff import api_surface, diff_api

    try:
        try:
            old_package, names = render_named(old, old_name, "old", lock)
            previous = old_package.files
        except CodegenError:
            if new_files is None:
                render_spec(new, new_name, "new")  # the new side's error, when it has one, is the one to show
            raise
        rendered = new_files if new_files is not None else render_spec(new, new_name, "new", names)
    except CodegenError as exc:
        return [], f"the generator cannot render {exc}"
    return diff_api(api_surface(previous), api_surface(rendered)), None


def require_current(out: Path, files: dict[str, str]) -> None:
    """Refuse to go on when the tree on disk is not what generate would write."""
    if compare_tree(out, files):
        raise CodegenError(out, "is stale (`check` fails); run `nexthink-codegen generate` and commit first")


def _git_dirty(paths: list[Path]) -> list[str]:
    """Every path under ``paths`` that git sees as changed, added or untracked, one entry per file."""
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", *map(str, paths)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CodegenError("git", f"cannot run git status: {exc}") from None
    if status.returncode != 0:
        raise CodegenError("git", f"git status failed: {status.stderr.strip()}")
    entries, paths_found = iter(status.stdout.split("\0")), []
    for entry in entries:
        if entry:
            paths_found.append(entry[3:])
            if entry[0] in "RC":
                next(entries, None)  # a rename or copy is followed by the path it came from
    return paths_found


def release_blockers(options: GenerateOptions, files: dict[str, str]) -> list[str]:
    """Why the real release would be refused, one entry per path: stale generated files and uncommitted changes."""
    blockers = [f"{path} (stale: differs from what generate writes)" for path in stale_paths(options.out, files)]
    try:
        dirty = _git_dirty([p for p in (options.spec.parent, options.out) if p.exists()])
    except CodegenError as error:
        return [*blockers, f"{error} (cannot tell what is committed)"]
    return blockers + [f"{path} (uncommitted changes)" for path in dirty]


@dataclass(frozen=True)
class ReleasePlan:
    """What `release` will do: the new version, why, and the changelog entry."""

    version: str
    bump: str
    reason: str
    notes: str
    effective: dict[str, Any]
    blockers: tuple[str, ...] = ()
    """What would make the real release refuse (stale or uncommitted paths); a dry run only reports them."""


def plan_release(options: GenerateOptions, bump: str) -> ReleasePlan | None:
    """The next release from the effective spec and the last released one; None when nothing changed.

    It works on any tree: what would block the real release is listed in the plan's ``blockers``.
    """
    if options.releases is None:
        raise CodegenError("--releases", "a release needs a release history folder; give --releases")
    files, effective = package_files(options)
    blockers = tuple(release_blockers(options, files))
    history = load_history(options.releases)
    info = effective.get("info") or {}
    title, spec_version = str(info.get("title", "")), str(info.get("version", ""))
    if not history.releases:
        chosen = "major" if bump == "auto" else bump
        notes = changelog_notes([], [], first=True, title=title, spec_version=spec_version)
        return ReleasePlan(next_version(history.version, chosen), chosen, "first release", notes, effective, blockers)
    assert options.releases is not None
    previous_path = options.releases / f"{history.version}.yaml"
    lock = lock_in(options.out)
    report = compare_specs(read_document(previous_path), effective, str(previous_path), str(options.spec), files, lock)
    changes, api, suggested = report.changes, report.python_api, report.bump
    if bump == "auto" and suggested == "none":
        return None
    chosen = suggested if bump == "auto" else bump
    counts = ", ".join(f"{sum(c.level == lv for c in changes)} {lv}" for lv in ("ERR", "WARN", "INFO"))
    reason = f"{counts} spec changes and {len(api)} Python API changes since {history.version}"
    if bump != "auto":
        reason += f" (bump {bump} asked for; the diff suggests {suggested})"
    notes = changelog_notes(changes, api, first=False, title=title, spec_version=spec_version)
    return ReleasePlan(next_version(history.version, chosen), chosen, reason, notes, effective, blockers)


def record_release(options: GenerateOptions, plan: ReleasePlan, epoch: int) -> None:
    """Write the released effective spec and the history entry under the releases folder."""
    assert options.releases is not None
    history = load_history(options.releases)
    history.releases.append(Release(plan.version, epoch, plan.bump, plan.notes))
    write_text_atomic(options.releases / f"{plan.version}.yaml", dump_yaml(plan.effective))
    write_text_atomic(options.releases / "index.yaml", dump_yaml({"releases": [r.as_yaml() for r in history.releases]}))
