"""The quality bar that every generated package must pass, as one reusable function applied to one spec.

Steps, in order; the first that fails is the result:

1. ``generate``: ``nexthink-codegen generate --no-overlay`` in a subprocess (or raw datamodel-codegen 0.89, the CLI,
   single-module output, for the benchmark), within a time limit;
2. ``import``: in a fresh interpreter with ``-W error``, import every module of the package;
3. ``exports``: resolve every name of every module's ``__all__``;
4. ``schemas``: build the JSON schema of every model (``model_json_schema()``) and enum (``TypeAdapter``);
5. ``examples``: every ``example``/``examples`` payload of a component schema (on the schema or on a media type
   that uses it) that the spec's own schema accepts (the OpenAPI 3.0/3.1 dialect, formats checked) validates into
   the class of that schema and round-trips (dump as JSON with aliases, validate again, equal);
6. ``ruff``: ``ruff check`` with the rules the project holds its own generated code to;
7. ``mypy``: ``mypy --strict`` over the package;
8. ``format``: ``ruff format --check`` with the distribution's own configuration (its ``pyproject.toml``; ruff's
   defaults where it declares none): the layout is what the formatter it declares writes.

``python -m tests.bar SPEC_OR_DIR ...`` runs it on files or on every ``spec.yaml`` under a folder (the construct
fixtures), printing one line per document.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "GENERATORS",
    "RUFF_RULES",
    "STEPS",
    "BarResult",
    "example_payloads",
    "first_error_line",
    "run_bar",
    "specs_under",
]

STEPS = ("generate", "import", "exports", "schemas", "examples", "ruff", "mypy", "format")
PACKAGE = "corpus_models"
BIN = Path(sys.executable).parent
GENERATE_TIMEOUT_SECONDS = 1800
CHECK_TIMEOUT_SECONDS = 1800
MAX_EXAMPLES = 200
EXAMPLES_PER_SCHEMA = 3
# The rules tests/test_quality.py applies to the project's own generated code (UP042: `(str, Enum)` on purpose;
# E501: a long description is one string literal).
RUFF_RULES = ["--isolated", "--no-cache", "--select", "E,F,W,I,UP,B,RUF", "--ignore", "UP042,E501"]
# Raw datamodel-codegen as a user after typed pydantic v2 code would run it: one module, Python 3.11 syntax, and
# constraints as Field arguments (its default `constr(...)` annotations are not valid types for mypy).
RAW_CLI = [
    str(BIN / "datamodel-codegen"),
    "--input-file-type",
    "openapi",
    "--output-model-type",
    "pydantic_v2.BaseModel",
    "--target-python-version",
    "3.11",
    "--use-standard-collections",
    "--use-union-operator",
    "--field-constraints",
    "--formatters",
    "builtin",
    "--disable-timestamp",
]
GENERATORS = ("project", "raw")


@dataclass(frozen=True)
class BarResult:
    """What the bar found for one document: ``step`` is the first failing step (None when all passed)."""

    document: str
    step: str | None = None
    error: str = ""
    seconds: float = 0.0
    examples: int = 0
    details: str = field(default="", repr=False)

    @property
    def passed(self) -> bool:
        return self.step is None


_WARNING = re.compile(r"^\S+:\d+: \w*Warning: ")


def first_error_line(text: str) -> str:
    """The line that says what went wrong: a traceback's exception line, else the first line naming an error, else
    the first line; Python warnings (``file:line: XWarning: ...`` and the source line under it) are left out."""
    lines: list[str] = []
    after_warning = False
    for raw in text.splitlines():
        if _WARNING.match(raw):
            after_warning = True
        elif not (after_warning and raw.startswith((" ", "\t"))) and raw.strip():
            after_warning = False
            lines.append(raw.strip())
    if not lines:
        return ""
    if any(line.startswith("Traceback") for line in lines):
        return lines[-1][:300]
    errors = [line for line in lines if re.search(r"\berror\b", line, re.IGNORECASE)]
    return (errors or lines)[0][:300]


def _load(spec: Path) -> Any:
    text = spec.read_text(encoding="utf-8-sig")
    return json.loads(text) if spec.suffix == ".json" else yaml.safe_load(text)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


_SCHEMA_REF = "#/components/schemas/"


def _media_types(node: Any) -> Iterator[dict[str, Any]]:
    """Every media type object (``content: {type: {...}}``) anywhere in the document."""
    if isinstance(node, dict):
        content = node.get("content")
        if isinstance(content, dict):
            yield from (m for m in content.values() if isinstance(m, dict))
        for value in node.values():
            yield from _media_types(value)
    elif isinstance(node, list):
        for value in node:
            yield from _media_types(value)


def _candidates(document: dict[str, Any], schemas: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(schema name, payload): a component schema's ``example``/``examples``, and the examples of every media type
    whose schema is a ``$ref`` to a component schema (``examples`` entries may be ``$ref``s to components)."""
    for name, schema in schemas.items():
        if isinstance(schema, dict):
            if "example" in schema:
                yield name, schema["example"]
            if isinstance(schema.get("examples"), list):
                yield from ((name, payload) for payload in schema["examples"])
    components = document.get("components") or {}
    named = components.get("examples") if isinstance(components.get("examples"), dict) else {}
    for media in _media_types({k: v for k, v in document.items() if k in ("paths", "webhooks", "components")}):
        ref = media.get("schema", {}).get("$ref") if isinstance(media.get("schema"), dict) else None
        if not isinstance(ref, str) or not ref.startswith(_SCHEMA_REF):
            continue
        name = ref.removeprefix(_SCHEMA_REF).replace("~1", "/").replace("~0", "~")
        if "example" in media:
            yield name, media["example"]
        for entry in (media.get("examples") or {}).values() if isinstance(media.get("examples"), dict) else []:
            ref = entry.get("$ref") if isinstance(entry, dict) else None
            example = named.get(ref.rsplit("/", 1)[-1]) if isinstance(ref, str) else entry
            if isinstance(example, dict) and "value" in example:
                yield name, example["value"]


def example_payloads(document: Any) -> list[tuple[str, Any]]:
    """(schema name, payload) for each example of a component schema that the spec's own schema accepts.

    Examples come from the schema itself and from the media types that use it. An example the spec itself
    contradicts says nothing about the generated code, so it is left out; at most ``EXAMPLES_PER_SCHEMA`` per
    schema and ``MAX_EXAMPLES`` in all are kept.
    """
    from openapi_schema_validator import OAS30Validator, OAS31Validator, oas30_format_checker, oas31_format_checker

    if not isinstance(document, dict):
        return []
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return []
    version31 = str(document.get("openapi", "")).startswith("3.1")
    validator_class, formats = (
        (OAS31Validator, oas31_format_checker) if version31 else (OAS30Validator, oas30_format_checker)
    )
    found: list[tuple[str, Any]] = []
    per_schema: dict[str, int] = {}
    for name, payload in _candidates(document, schemas):
        if len(found) >= MAX_EXAMPLES or per_schema.get(name, 0) >= EXAMPLES_PER_SCHEMA or name not in schemas:
            continue
        root = {"$ref": _SCHEMA_REF + _escape(name), "components": components}
        try:
            accepted = validator_class(root, format_checker=formats).is_valid(payload)
        except Exception:  # noqa: BLE001 - a schema the validator cannot follow gives no usable example
            accepted = False
        if accepted:
            found.append((name, payload))
            per_schema[name] = per_schema.get(name, 0) + 1
    return found


# Runs in a fresh interpreter with -W error, in the folder that holds the package: argv = package, examples file.
# Prints one JSON line: {"step": None | step, "error": "...", "examples": n}.
_CHECK = r"""
import enum, importlib, json, pkgutil, re, sys, traceback

def report(step, error="", examples=0):
    print(json.dumps({"step": step, "error": error, "examples": examples}))
    sys.exit(0)

def describe(exc):
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__

package_name, examples_file = sys.argv[1], sys.argv[2]
modules = []
try:
    package = importlib.import_module(package_name)
    modules.append(package)
    for info in pkgutil.walk_packages(package.__path__, package_name + "."):
        modules.append(importlib.import_module(info.name))
except BaseException as exc:
    report("import", describe(exc))

from pydantic import BaseModel, TypeAdapter

classes = {}
for module in modules:
    names = getattr(module, "__all__", None)
    if names is not None:
        for name in names:
            try:
                value = getattr(module, name)
            except AttributeError:
                report("exports", f"{module.__name__}.__all__ names {name!r}, which the module does not define")
            classes.setdefault(id(value), value)
            own = getattr(value, "__name__", name)
            if isinstance(value, type) and value.__module__.startswith(package_name) and own != name:
                report("exports", f"{module.__name__}.__all__ names class {own} {name!r}: two classes share its name")
    for value in vars(module).values():
        if isinstance(value, type) and value.__module__ == module.__name__:
            classes.setdefault(id(value), value)

models = [c for c in classes.values() if isinstance(c, type) and (issubclass(c, BaseModel) or issubclass(c, enum.Enum))]
for cls in models:
    try:
        if issubclass(cls, BaseModel):
            cls.model_json_schema()
        else:
            TypeAdapter(cls).json_schema()
    except BaseException as exc:
        report("schemas", f"{cls.__module__}.{cls.__qualname__}: {describe(exc)}")

def key(name):
    return re.sub(r"[^0-9a-z]", "", name.lower())

by_key = {}
for cls in models:
    by_key.setdefault(key(cls.__name__), []).append(cls)
checked = 0
with open(examples_file, encoding="utf-8") as stream:
    examples = json.load(stream)
for schema_name, payload in examples:
    matches = by_key.get(key(schema_name), [])
    if len(matches) != 1:
        continue
    cls = matches[0]
    try:
        if issubclass(cls, BaseModel):
            value = cls.model_validate(payload)
            again = cls.model_validate(value.model_dump(mode="json", by_alias=True))
            if again != value:
                report("examples", f"{schema_name}: the example does not round-trip", checked)
        else:
            adapter = TypeAdapter(cls)
            value = adapter.validate_python(payload)
            if adapter.validate_python(adapter.dump_python(value, mode="json")) != value:
                report("examples", f"{schema_name}: the example does not round-trip", checked)
    except BaseException as exc:
        report("examples", f"{schema_name} -> {cls.__name__}: {describe(exc)}", checked)
    checked += 1
report(None, "", checked)
"""


def _environment() -> dict[str, str]:
    """The environment of the subprocesses: no PYTHONPATH from outside, so only the package under test is found."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONHASHSEED"] = "0"
    return env


def _generate_command(generator: str, spec: Path, out: Path) -> list[str]:
    if generator == "project":
        command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--no-overlay"]
        return [*command, "--out", str(out), "--package", PACKAGE]
    if generator == "raw":
        return [*RAW_CLI, "--input", str(spec), "--output", str(out / PACKAGE / "__init__.py")]
    raise ValueError(f"unknown generator {generator!r}; one of {GENERATORS}")


def _run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout, env=_environment()
        )
    except subprocess.TimeoutExpired:
        return None


def _generate(generator: str, spec: Path, work: Path) -> tuple[Path, str | None]:
    """The folder holding the generated package, or the generation's first error line."""
    out = work / "out"
    if generator == "raw":
        (out / PACKAGE).mkdir(parents=True)
    ran = _run(_generate_command(generator, spec, out), work, GENERATE_TIMEOUT_SECONDS)
    if ran is None:
        return out, f"timed out after {GENERATE_TIMEOUT_SECONDS} s"
    if ran.returncode != 0:
        return out, first_error_line(ran.stderr + ran.stdout) or f"exit status {ran.returncode}"
    if not (out / PACKAGE).is_dir():
        return out, f"no package {PACKAGE}/ was written"
    return out, None


def _check_runtime(out: Path, examples: list[tuple[str, Any]], work: Path) -> tuple[str | None, str, int]:
    payloads = work / "examples.json"
    payloads.write_text(json.dumps(examples), encoding="utf-8")
    ran = _run([sys.executable, "-W", "error", "-c", _CHECK, PACKAGE, str(payloads)], out, CHECK_TIMEOUT_SECONDS)
    if ran is None:
        return "import", f"timed out after {CHECK_TIMEOUT_SECONDS} s", 0
    lines = ran.stdout.strip().splitlines()
    try:
        found = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return "import", first_error_line(ran.stderr) or f"the check exited with status {ran.returncode}", 0
    return found["step"], found["error"], found["examples"]


def _check_static(out: Path, work: Path) -> tuple[str | None, str, str]:
    lint = _run([str(BIN / "ruff"), "check", *RUFF_RULES, "--output-format", "concise", PACKAGE], out, 600)
    if lint is None or lint.returncode != 0:
        text = "timed out" if lint is None else lint.stdout + lint.stderr
        return "ruff", first_error_line(text), text
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(work / ".mypy")]
    typed = _run([*mypy, "--no-error-summary", "-p", PACKAGE], out, CHECK_TIMEOUT_SECONDS)
    if typed is None or typed.returncode != 0:
        text = "timed out" if typed is None else typed.stdout + typed.stderr
        return "mypy", first_error_line(text), text
    # Generated files look hand-written: the formatter the distribution declares leaves them as they are. Last, so
    # that a package failing only its layout is told apart from one whose code is wrong.
    layout = _run([str(BIN / "ruff"), "format", "--check", "--no-cache", PACKAGE], out, 600)
    if layout is None or layout.returncode != 0:
        text = "timed out" if layout is None else layout.stdout + layout.stderr
        return "format", first_error_line(text), text
    return None, "", ""


def run_bar(spec: Path, name: str | None = None, generator: str = "project") -> BarResult:
    """Hold the package generated from ``spec`` to the bar; the result names the first failing step."""
    name = name or spec.stem
    started = time.perf_counter()

    def result(step: str | None, error: str = "", examples: int = 0, details: str = "") -> BarResult:
        # The error names the spec by its file name only, so that results compare across checkouts.
        error = error.replace(str(spec.resolve()), spec.name).replace(str(spec), spec.name)
        return BarResult(name, step, error, round(time.perf_counter() - started, 1), examples, details)

    with tempfile.TemporaryDirectory(prefix="bar-") as scratch:
        work = Path(scratch)
        out, error = _generate(generator, spec.resolve(), work)
        if error is not None:
            return result("generate", error)
        try:
            examples = example_payloads(_load(spec))
        except (OSError, ValueError, yaml.YAMLError):
            examples = []
        step, error, checked = _check_runtime(out, examples, work)
        if step is not None:
            return result(step, error, checked)
        step, error, details = _check_static(out, work)
        return result(step, error, checked, details)


def specs_under(paths: list[Path]) -> Iterator[tuple[str, Path]]:
    """(name, spec) for each file given, and for each ``spec.yaml`` under each folder given (named by its folder)."""
    for path in paths:
        if path.is_dir():
            for spec in sorted(path.rglob("spec.yaml")):
                yield spec.parent.relative_to(path).as_posix() or path.name, spec
        else:
            yield path.stem, path


def main(argv: list[str] | None = None) -> int:
    """Run the bar on each spec or folder of specs given; exit 1 when any fails."""
    parser = argparse.ArgumentParser(description="Hold generated packages to the quality bar.")
    parser.add_argument("paths", nargs="+", type=Path, help="spec files, or folders searched for spec.yaml")
    parser.add_argument("--generator", choices=GENERATORS, default="project")
    args = parser.parse_args(argv)
    failed = 0
    for name, spec in specs_under(args.paths):
        outcome = run_bar(spec, name, args.generator)
        failed += not outcome.passed
        verdict = "pass" if outcome.passed else f"FAIL at {outcome.step}: {outcome.error}"
        print(f"{name}: {verdict} ({outcome.seconds} s, {outcome.examples} examples)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
