"""Command line: `nexthink-codegen ingest|generate|check|diff|build|release|publish` (or `python -m generator`).

Thin on purpose: parse arguments, call the pipeline, turn a CodegenError into one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.config import (
    DEFAULT_API,
    DEFAULT_DOCS,
    DEFAULT_OUT,
    DEFAULT_OVERLAY,
    DEFAULT_PACKAGE,
    DEFAULT_RELEASES,
    DEFAULT_SPEC,
    GenerateOptions,
    default_releases,
)
from generator.errors import CodegenError
from generator.manifest import up_to_date

# The pipeline (and with it the rendering engine) is imported only when a command needs it, so that `check`
# on an up-to-date tree answers from the manifest without loading it.

__all__ = ["main"]

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


def _options(args: argparse.Namespace) -> GenerateOptions:
    overlay = None if args.no_overlay else args.overlay
    return GenerateOptions(
        spec=args.spec or DEFAULT_SPEC,
        overlay=overlay,
        out=args.out,
        package=args.package,
        allow_external_refs=args.allow_external_refs,
        releases=args.releases if args.releases is not None else default_releases(args.spec is not None, overlay),
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

    check = commands.add_parser("check", help="exit 1 when the generated package on disk is stale")
    _add_generate_options(check)

    diff = commands.add_parser("diff", help="classify the changes between two specs for review")
    diff.add_argument("old", help="old spec: a file, or REV:PATH read from git")
    diff.add_argument("new", help="new spec: a file, or REV:PATH read from git")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff.add_argument(
        "--fail-on", choices=("ERR", "WARN", "INFO"), help="exit 1 when a change at this level or above occurs"
    )
    diff.add_argument("--overlay", type=Path, help="apply this overlay to both sides and report its stale actions")

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

    publish = commands.add_parser("publish", help="upload dist/ with twine (credentials: TWINE_* variables or keyring)")
    publish.add_argument("--repository-url", help="package index upload URL (default: twine's, PyPI)")
    publish.add_argument("--dist", type=Path, default=Path("dist"), help="archives to upload (default: %(default)s)")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        options = _options(args)
        if up_to_date(options.out, options.manifest_key()):
            print(f"{options.out} is up to date")
            return EXIT_OK
    from generator.dist import build_distribution, publish_distribution
    from generator.documents import dump_yaml, write_text_atomic
    from generator.pipeline import diff_sources, ingest_pages, package_files, require_current
    from generator.release import load_history
    from generator.report import fails, render_report
    from generator.write import compare_tree, write_tree

    if args.command == "ingest":
        text = ingest_pages(args.docs, args.out, args.api)
        write_text_atomic(args.out, text)
        print(f"wrote {args.out}")
        return EXIT_OK
    if args.command == "diff":
        report = diff_sources(args.old, args.new, args.overlay)
        sys.stdout.write(render_report(report, args.format))
        return EXIT_DIFFERS if fails(report, args.fail_on) else EXIT_OK
    if args.command == "publish":
        uploaded = publish_distribution(args.dist, args.repository_url)
        print(f"published {uploaded}")
        return EXIT_OK
    options = _options(args)
    if args.command == "release":
        return _release(options, args)
    files, effective = package_files(options)
    if args.command == "build":
        require_current(options.out, files)
        built = build_distribution(files, args.dist, load_history(options.releases).epoch)
        print("built " + ", ".join(str(p) for p in built))
        return EXIT_OK
    target = options.out
    if args.command == "check":
        diffs = compare_tree(target, files)
        if not diffs:
            print(f"{target} is up to date")
            return EXIT_OK
        for diff in diffs:
            sys.stdout.write(diff if len(diff) < 4000 else diff[:4000] + "\n... (diff cut)\n")
        print(f"{target} is stale: {len(diffs)} file(s) differ; run `nexthink-codegen generate`", file=sys.stderr)
        return EXIT_DIFFERS
    if args.effective_spec:
        write_text_atomic(args.effective_spec, dump_yaml(effective))
    write_tree(target, files)
    print(f"wrote {len(files)} files to {target}")
    return EXIT_OK


def _release(options: GenerateOptions, args: argparse.Namespace) -> int:
    from generator.dist import build_distribution
    from generator.pipeline import package_files, plan_release, record_release
    from generator.write import write_tree

    plan = plan_release(options, args.bump)
    if plan is None:
        print("nothing changed since the last release; no release")
        return EXIT_OK
    print(f"{'would release' if args.dry_run else 'releasing'} {plan.version} ({plan.bump}): {plan.reason}")
    print(plan.notes)
    if args.dry_run:
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
    try:
        return _run(args)
    except CodegenError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        name = error.filename or "output"
        print(f"error: {name}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
