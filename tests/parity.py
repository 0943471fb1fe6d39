"""At least as well as raw datamodel-codegen: every constraint raw's models state, the generated package states too.

A model's constraints are the keywords of its ``model_json_schema()`` that restrict values (``pattern``,
``minLength``, ``maximum``, ``minItems``, ``const``...), collected in a fresh interpreter. Each constraint of a raw
class must be in our class of the same name; a raw class that ours names otherwise (ours are numbered and scoped
differently) is held against every constraint of the package. Used by ``tests/test_raw_parity.py`` on the golden
fixtures and by ``make parity`` on the real-world corpus:

``python -m tests.parity [--fast] [NAME ...]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["CONSTRAINTS", "Constraints", "constraints", "generate_raw", "missing"]

BIN = Path(sys.executable).parent
TIMEOUT_SECONDS = 1800
CONSTRAINTS = (
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "const",
)
Constraints = dict[str, set[tuple[str, str]]]
"""Class name → its constraints, as ``(keyword, JSON text of the value)``."""

# Prints {class name: [[keyword, json value], ...]} for the models of a package or module on sys.path.
PROBE = """
import importlib, inspect, json, pkgutil, sys
from pydantic import BaseModel
sys.path.insert(0, sys.argv[1])
keys = set(json.loads(sys.argv[3]))
classes = {}
def collect(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs", "patternProperties") and isinstance(value, dict):
                for schema in value.values():  # keys here are names, not keywords
                    collect(schema, found)
            elif key in keys:
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                found.add((key, json.dumps(value, sort_keys=True)))
            elif key not in ("default", "examples", "example", "title", "description") and not key.startswith("x-"):
                collect(value, found)
    elif isinstance(node, list):
        for value in node:
            collect(value, found)
top = importlib.import_module(sys.argv[2])
inner = pkgutil.iter_modules(getattr(top, "__path__", []))
modules = [top] + [importlib.import_module(f"{top.__name__}.{info.name}") for info in inner]
for module in modules:
    for value in vars(module).values():
        if inspect.isclass(value) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
            found = set()
            collect(value.model_json_schema(), found)
            classes[value.__name__] = sorted(found)
print(json.dumps(classes))
"""


def constraints(path: Path, module: str) -> Constraints | str:
    """The constraints of each model of the package or module ``module`` under ``path``, or the error line that
    stops its import."""
    probe = [sys.executable, "-W", "ignore", "-c", PROBE, str(path), module, json.dumps(CONSTRAINTS)]
    result = subprocess.run(probe, capture_output=True, text=True, check=False, timeout=TIMEOUT_SECONDS)
    if result.returncode != 0:
        return (result.stderr.strip().splitlines() or ["no output"])[-1]
    return {name: {(k, v) for k, v in found} for name, found in json.loads(result.stdout).items()}


def generate_raw(spec: Path, work: Path) -> str | None:
    """Write raw datamodel-codegen's models for ``spec`` as the module or package ``raw_models`` under ``work``
    (its CLI, default settings, pydantic v2); return its error line when it fails."""
    command = [str(BIN / "datamodel-codegen"), "--input", str(spec), "--input-file-type", "openapi"]
    command += ["--output-model-type", "pydantic_v2.BaseModel", "--output"]
    run = subprocess.run([*command, str(work / "raw_models.py")], capture_output=True, text=True, check=False)
    if "require an output directory" in run.stderr:  # dotted names: raw writes a package of modules
        run = subprocess.run([*command, str(work / "raw_models")], capture_output=True, text=True, check=False)
    return None if run.returncode == 0 else ((run.stderr.strip().splitlines() or ["failed"])[-1])


def missing(raw: Constraints, ours: Constraints) -> set[tuple[str, str, str]]:
    """``(raw class, keyword, value)`` for every constraint of raw's models that ours do not state."""
    everything = set().union(*ours.values()) if ours else set()
    return {
        (name, keyword, value) for name, found in raw.items() for keyword, value in found - ours.get(name, everything)
    }


def _compare(spec: Path) -> str:
    """One line: how raw's and our constraints compare for one document."""
    with tempfile.TemporaryDirectory(prefix="parity-") as scratch:
        work = Path(scratch)
        error = generate_raw(spec, work)
        if error is not None:
            return f"raw fails: {error}"
        raw = constraints(work, "raw_models")
        if isinstance(raw, str):
            return f"raw's models do not import: {raw}"
        out = work / "ours"
        command = [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--no-overlay"]
        command += ["--out", str(out), "--package", "ours"]
        ran = subprocess.run(command, capture_output=True, text=True, check=False, timeout=TIMEOUT_SECONDS)
        if ran.returncode != 0:
            return f"FAIL: generate: {(ran.stderr.strip().splitlines() or ['failed'])[-1]}"
        ours = constraints(out, "ours")
        if isinstance(ours, str):
            return f"FAIL: ours do not import: {ours}"
        gaps = missing(raw, ours)
        stated = sum(len(found) for found in raw.values())
        if gaps:
            return f"FAIL: {len(gaps)} of raw's constraints missing, first {sorted(gaps)[:3]}"
        return f"ok: every one of raw's {stated} class constraints ({len(raw)} classes) is stated"


def main(argv: list[str] | None = None) -> int:
    """Compare raw's and our constraints over the corpus; exit 1 when ours miss any."""
    from tests.corpus.run import _ingest, corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="documents to run (default: all)")
    parser.add_argument("--fast", action="store_true", help="only the fast subset")
    args = parser.parse_args(argv)
    failed = 0
    for document in corpus(args.fast, args.names or None):
        with tempfile.TemporaryDirectory(prefix="parity-ingest-") as scratch:
            spec = document.spec if document.spec is not None else _ingest(document, Path(scratch))
            line = f"ingest fails: {spec.error}" if not isinstance(spec, Path) else _compare(spec)
        failed += line.startswith("FAIL")
        print(f"{document.name}: {line}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
