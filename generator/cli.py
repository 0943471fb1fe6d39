"""Command line: `nexthink-codegen ingest | generate | check | diff` (also `python -m generator`).

Thin on purpose: parse arguments, call the pipeline, turn a CodegenError into one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.config import (
    DEFAULT_API,
    DEFAULT_DOCS,
    DEFAULT_OUT,
    DEFAULT_OVERLAY,
    DEFAULT_PACKAGE,
    DEFAULT_SPEC,
    GenerateOptions,
)
from generator.documents import dump_yaml, write_text_atomic
from generator.errors import CodegenError
from generator.pipeline import diff_sources, ingest_pages, package_files
from generator.report import fails, render_report
from generator.write import compare_tree, write_tree

__all__ = ["main"]

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT = 0, 1, 2


def _add_generate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (default: %(default)s)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--overlay", type=Path, default=DEFAULT_OVERLAY, help="Overlay 1.0 document (default: %(default)s)"
    )
    group.add_argument("--no-overlay", action="store_true", help="generate straight from --spec, with default naming")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    parser.add_argument("--package", default=DEFAULT_PACKAGE, help="package name (default: %(default)s)")
    parser.add_argument(
        "--allow-external-refs",
        action="store_true",
        help="follow $refs to files outside the spec's folder (URLs are always refused)",
    )


def _options(args: argparse.Namespace) -> GenerateOptions:
    return GenerateOptions(
        spec=args.spec,
        overlay=None if args.no_overlay else args.overlay,
        out=args.out,
        package=args.package,
        allow_external_refs=args.allow_external_refs,
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
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.command == "ingest":
        text = ingest_pages(args.docs, args.out, args.api)
        write_text_atomic(args.out, text)
        print(f"wrote {args.out}")
        return EXIT_OK
    if args.command == "diff":
        report = diff_sources(args.old, args.new, args.overlay)
        sys.stdout.write(render_report(report, args.format))
        return EXIT_DIFFERS if fails(report, args.fail_on) else EXIT_OK
    options = _options(args)
    files, effective = package_files(options)
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
