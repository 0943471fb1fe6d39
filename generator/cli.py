"""Command line: `nexthink-codegen ingest|generate|check|update|diff|build|release|publish` (or `python -m generator`).

Thin on purpose: parse arguments, call the pipeline, turn a CodegenError into one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from generator import __version__
from generator.config import (
    DEFAULT_API,
    DEFAULT_DOCS,
    DEFAULT_JOBS,
    DEFAULT_OUT,
    DEFAULT_OVERLAY,
    DEFAULT_PACKAGE,
    DEFAULT_RELEASES,
    DEFAULT_SPEC,
    DEFAULT_TIMEOUT,
    WORKFLOWS_PACKAGE,
    WORKFLOWS_RELEASES,
    GenerateOptions,
    default_releases,
)
from generator.documents import collector_paused
from generator.errors import CodegenError, CodegenWarning
from generator.limits import LIMITS, applied_limits, parse_limit
from generator.manifest import MANIFEST, remember, remember_render, up_to_date

if TYPE_CHECKING:
    from generator.reuse import RenderState

# The pipeline (and with it the rendering engine) is imported only when a command needs it, so that `check`
# on an up-to-date tree answers from the manifest without loading it.

__all__ = ["main", "run"]

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT = 0, 1, 2


def _add_generate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, help=f"OpenAPI document (default: {DEFAULT_SPEC})")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--overlay", type=Path, default=DEFAULT_OVERLAY, help="Overlay 1.0 document (default: %(default)s)"
    )
    group.add_argument("--no-overlay", action="store_true", help="generate straight from --spec, with default naming")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    parser.add_argument("--package", default=DEFAULT_PACKAGE, help="package name (default: from the spec's info.title)")
    parser.add_argument(
        "--releases",
        type=Path,
        default=DEFAULT_RELEASES,
        help="release history (default: specs/releases when --spec is not given and an overlay is, else none)",
    )
    parser.add_argument(
        "--allow-external-refs",
        action="store_true",
        help="follow $refs to files outside the spec's folder (URLs are always refused)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=DEFAULT_JOBS,
        metavar="N",
        help="cores the engine may use on a large spec (default: 0, every usable core); the output is the same",
    )
    parser.add_argument(
        "--strict-regex",
        action="store_true",
        help="refuse regexes that need Python's backtracking engine (by default a warning)",
    )


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of cores (0 or more; 0: every usable core)")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more; 0: no budget)")
    return value


def _add_limits(parser: argparse.ArgumentParser) -> None:
    names = ", ".join(f"{name} ({what})" for name, (_, _, what) in LIMITS.items())
    parser.add_argument(
        "--limit",
        type=parse_limit,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"raise or lower an input limit (repeatable): {names}",
    )


def _add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="stop with exit status 2 when generation takes longer (default: %(default)g; 0: no limit)",
    )


def _options(args: argparse.Namespace) -> GenerateOptions:
    overlay = None if args.no_overlay else args.overlay
    return GenerateOptions(
        spec=args.spec or DEFAULT_SPEC,
        overlay=overlay,
        out=args.out,
        package=args.package,
        allow_external_refs=args.allow_external_refs,
        releases=args.releases if args.releases is not None else default_releases(args.spec is not None, overlay),
        jobs=args.jobs,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nexthink-codegen", description="Generate pydantic models for the Nexthink API from the vendor's spec."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="merge the vendor's documentation fragments into one OpenAPI document")
    ingest.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="documentation pages (default: %(default)s)")
    ingest.add_argument("--out", type=Path, default=DEFAULT_SPEC, help="spec to write (default: %(default)s)")
    ingest.add_argument(
        "--api", default=DEFAULT_API, help="which API's pages: <api>.md and <api>/*.md (default: %(default)s)"
    )

    generate = commands.add_parser("generate", help="write the models package from the spec and its overlay")
    _add_generate_options(generate)
    generate.add_argument(
        "--effective-spec", type=Path, metavar="PATH", help="also write the effective spec (spec + overlay)"
    )
    _add_timeout(generate)
    _add_limits(generate)

    check = commands.add_parser("check", help="exit 1 when the generated package on disk is stale")
    _add_generate_options(check)
    _add_timeout(check)
    _add_limits(check)
    check.add_argument(
        "--full",
        action="store_true",
        help="always regenerate and compare (CI): never trust a record of an earlier run on this machine",
    )
    check.add_argument(
        "--effective-spec", type=Path, metavar="PATH", help="also check that PATH holds the effective spec"
    )

    diff = commands.add_parser("diff", help="classify the changes between two specs for review")
    diff.add_argument("old", help="old spec: a file, or REV:PATH read from git")
    diff.add_argument("new", help="new spec: a file, or REV:PATH read from git")
    diff.add_argument("--format", choices=("text", "markdown", "json", "github"), default="text")
    diff.add_argument(
        "--fail-on",
        choices=("ERR", "WARN", "INFO"),
        help="exit 1 when a change at this level or above occurs (a Python API break is ERR)",
    )
    diff.add_argument("--overlay", type=Path, help="apply this overlay to both sides and report its stale actions")
    diff.add_argument("--ignore", type=Path, help="YAML file of accepted changes: ignore: [{id, location, reason}]")
    diff.add_argument(
        "--level", action="append", default=[], metavar="ID=LEVEL", help="report change kind ID at LEVEL (repeatable)"
    )
    diff.add_argument("--match-path", metavar="REGEX", help="only report the paths this regular expression matches")
    _add_timeout(diff)
    _add_limits(diff)

    update = commands.add_parser(
        "update", help="re-ingest the vendor pages, show what changed (classified), then regenerate"
    )
    update.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="documentation pages (default: %(default)s)")
    update.add_argument("--api", default=DEFAULT_API, help="which API's pages (default: %(default)s)")
    update.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    _add_generate_options(update)
    _add_limits(update)

    build = commands.add_parser("build", help="build a reproducible sdist and wheel of the generated distribution")
    _add_generate_options(build)
    build.add_argument(
        "--dist", type=Path, default=Path("dist"), help="where to put the archives (default: %(default)s)"
    )

    release = commands.add_parser("release", help="version, changelog and build from the classified spec diff")
    _add_generate_options(release)
    release.add_argument("--bump", choices=("auto", "major", "minor", "patch"), default="auto")
    release.add_argument("--dry-run", action="store_true", help="print the version and why; change nothing")
    release.add_argument(
        "--dist", type=Path, default=Path("dist"), help="where to put the archives (default: %(default)s)"
    )

    publish = commands.add_parser(
        "publish", help="upload the released version's archives with twine (credentials: TWINE_* variables or keyring)"
    )
    publish.add_argument("--repository-url", help="package index upload URL (default: twine's, PyPI)")
    publish.add_argument(
        "--index-url", help="the index's simple API, asked which versions exist (default: derived from the upload URL)"
    )
    publish.add_argument("--dist", type=Path, default=Path("dist"), help="archives to upload (default: %(default)s)")
    publish.add_argument(
        "--releases", type=Path, default=WORKFLOWS_RELEASES, help="release history (default: %(default)s)"
    )
    publish.add_argument(
        "--package", default=WORKFLOWS_PACKAGE, help="package name of the archives (default: %(default)s)"
    )
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "check" and not args.full and not args.effective_spec and not args.strict_regex:
        options = _options(args)
        if up_to_date(options.out, options.manifest_key()):
            print(f"{options.out} is up to date")
            return EXIT_OK
    from generator.budget import time_budget
    from generator.documents import dump_yaml, write_text_atomic
    from generator.pipeline import diff_sources, generate_files, ingest_pages, require_current
    from generator.release import load_history
    from generator.write import check_target, compare_tree, write_tree

    if args.command == "ingest":
        text = ingest_pages(args.docs, args.out, args.api)
        write_text_atomic(args.out, text)
        print(f"wrote {args.out}")
        return EXIT_OK
    if args.command == "diff":
        from generator.diff.policy import parse_levels
        from generator.report import fails, render_report

        levels = parse_levels(args.level)
        with time_budget(args.timeout, args.new):
            report = diff_sources(
                args.old, args.new, args.overlay, ignore=args.ignore, levels=levels, match_path=args.match_path
            )
        sys.stdout.write(render_report(report, args.format))
        return EXIT_DIFFERS if fails(report, args.fail_on) else EXIT_OK
    if args.command == "publish":
        from generator.dist import publish_distribution  # build and publish only: urllib is slow to import

        version = load_history(args.releases).version
        uploaded = publish_distribution(
            args.dist, args.repository_url, package=args.package, version=version, index_url=args.index_url
        )
        print(f"published {version}: " + ", ".join(p.name for p in uploaded))
        return EXIT_OK
    options = _options(args)
    if args.command == "release":
        return _release(options, args)
    if args.command == "update":
        return _update(options, args)
    if args.command == "generate":
        check_target(options.out)  # refuse a symlink or a foreign folder before any work
    state: RenderState | None = None
    with time_budget(getattr(args, "timeout", 0), options.spec):
        wanted = bool(getattr(args, "effective_spec", None))
        if args.command == "generate":
            files, effective, state = generate_files(options, keep_effective=wanted)
        else:
            files, effective, _ = generate_files(options, reuse=False, keep_effective=wanted)
    if args.command == "build":
        from generator.dist import build_distribution

        require_current(options.out, files)
        built = build_distribution(files, args.dist, load_history(options.releases).epoch)
        print("built " + ", ".join(str(p) for p in built))
        return EXIT_OK
    target = options.out
    if args.command == "check":
        diffs = compare_tree(target, files)
        if args.effective_spec and effective is not None:
            diffs += _compare_file(args.effective_spec, dump_yaml(effective))
        if not diffs:
            remember(files[MANIFEST])  # a full comparison proves the tree current: later checks may be fast
            print(f"{target} is up to date")
            return EXIT_OK
        for diff in diffs:
            sys.stdout.write(diff if len(diff) < 4000 else diff[:4000] + "\n... (diff cut)\n")
        print(f"{target} is stale: {len(diffs)} file(s) differ; run `nexthink-codegen generate`", file=sys.stderr)
        return EXIT_DIFFERS
    if args.effective_spec and effective is not None:
        write_text_atomic(args.effective_spec, dump_yaml(effective))
    write_tree(target, files)
    kept = ""
    if state is not None:
        from generator.reuse import state_to_json

        remember_render(files[MANIFEST], state_to_json(state))
        if state.kept:
            kept = f" ({state.kept} of {len(state.modules)} modules kept as the last generate wrote them)"
    print(f"wrote {len(files)} files to {target}{kept}")
    return EXIT_OK


def _compare_file(path: Path, expected: str) -> list[str]:
    """A unified diff between ``path`` and the text it should hold; [] when equal."""
    import difflib

    actual = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    if actual == expected:
        return []
    if actual is None:
        return [f"{path}: missing on disk\n"]
    lines = difflib.unified_diff(
        actual.splitlines(keepends=True), expected.splitlines(keepends=True), f"{path} (on disk)", f"{path} (generated)"
    )
    return ["".join(lines)]


def _update(options: GenerateOptions, args: argparse.Namespace) -> int:
    from generator.report import render_report
    from generator.update import apply_update, plan_update

    plan = plan_update(args.docs, args.api, options)
    if plan.report is None:
        print(f"{options.spec} does not exist yet: nothing to compare", file=sys.stderr)
    else:
        sys.stdout.write(render_report(plan.report, args.format))
    sys.stdout.flush()
    written = apply_update(options, plan)
    print(f"wrote {options.spec} and {written} files to {options.out}", file=sys.stderr)
    return EXIT_OK


def _release(options: GenerateOptions, args: argparse.Namespace) -> int:
    from generator.dist import build_distribution
    from generator.pipeline import package_files, plan_release, record_release
    from generator.write import check_target, write_tree

    check_target(options.out)  # refuse a symlinked or foreign --out before the release history is written
    plan = plan_release(options, args.bump)
    if plan is None:
        print("nothing changed since the last release; no release")
        return EXIT_OK
    if plan.blockers and not args.dry_run:
        raise CodegenError(
            "release",
            f"refused: {len(plan.blockers)} path(s) are stale or uncommitted: {'; '.join(plan.blockers)}; "
            "run `nexthink-codegen generate` and commit specs/ and generated/ first",
        )
    print(f"{'would release' if args.dry_run else 'releasing'} {plan.version} ({plan.bump}): {plan.reason}")
    print(plan.notes)
    if args.dry_run:
        if plan.blockers:
            print(
                f"\nthe real release would be refused until these {len(plan.blockers)} path(s) are regenerated "
                "or committed:"
            )
            for blocker in plan.blockers:
                print(f"  {blocker}")
        return EXIT_OK
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    record_release(options, plan, epoch)
    files, _ = package_files(options)
    write_tree(options.out, files)
    built = build_distribution(files, args.dist, epoch)
    print(f"released {plan.version}: " + ", ".join(str(p) for p in built))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = _parser().parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CodegenWarning)
        if getattr(args, "strict_regex", False):
            warnings.simplefilter("error", CodegenWarning)
        try:
            # The rendering commands' own stages make no reference cycles to speak of, yet each collection would
            # walk every object of the spec held in memory (a tenth of a second each on GitHub's): the collector is
            # paused for the whole command, and runs only for the engine's objects, which have cycles
            # (`_run_engine`). Not for `diff`, whose comparison does make some (on GitHub's spec it held 40 MiB
            # more with the collector paused, and took as long).
            paused = collector_paused() if args.command != "diff" else contextlib.nullcontext()
            with applied_limits(getattr(args, "limit", None) or []), paused:
                status = _run(args)
        except CodegenError as error:
            for line in error.lines():
                print(f"error: {line}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except CodegenWarning as error:
            print(f"error: {error} (refused under --strict-regex)", file=sys.stderr)
            return EXIT_BAD_INPUT
        except OSError as error:
            # An error without a file name (a failed write of an open file, say) is about the tree being written.
            name = error.filename or getattr(args, "out", None) or "nexthink-codegen"
            print(f"error: {name}: {error.strerror or error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    shown: set[str] = set()
    for record in caught:
        if not isinstance(record.message, CodegenWarning):
            warnings.showwarning(record.message, record.category, record.filename, record.lineno)
        elif str(record.message) not in shown:
            shown.add(str(record.message))
            print(f"warning: {record.message}", file=sys.stderr)
    return status


def run() -> NoReturn:
    """The console script's entry point (and ``python -m generator``'s): run ``main`` and end the process with its
    exit status, without tearing down the heap.

    When a command returns, what it wrote is on disk (flushed and renamed into place), its temporary folders are
    removed and its worker processes and threads have been joined. What is left is the heap: the spec and the
    engine's objects, which a normal exit frees one by one and collects once more (0.1 s after generating the
    Workflows package, 0.4 s after GitHub's). So, as mypy's command line does, the process ends as soon as what it
    printed is flushed; if that flush fails (a closed pipe), the exit is the interpreter's usual one."""
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)
    os._exit(status)


if __name__ == "__main__":
    run()
