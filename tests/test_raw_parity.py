"""At least as well as raw datamodel-codegen: every constraint raw's models put in their JSON schema, ours do too.

For each fixture, raw datamodel-codegen (its CLI, default settings, one module) and this project's golden package
are imported in a fresh interpreter; every model's ``model_json_schema()`` is reduced to its constraint keywords
(``pattern``, ``minLength``, ``maximum``, ``minItems``, ``const``...). Each of a raw class's constraints must be in
our class of the same name; a raw class ours names otherwise (ours are numbered and scoped differently) is held
against the whole document. A rule this project states another way (a model validator instead of a keyword inside
an ``anyOf``) is listed in ``STATED_OTHERWISE`` with the reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
RAW = Path(sys.executable).parent / "datamodel-codegen"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (GOLDEN / p.name / "models").is_dir())
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
# (fixture, keyword, JSON value) that ours states otherwise, with the reason.
STATED_OTHERWISE = {
    (
        "validators",
        "minItems",
        "1",
    ): "an anyOf of required + minItems becomes a model validator (`validate_recipients`)",
    ("construct_annotations_31", "minLength", "1"): (
        "`format: uri` with `default: ''` is a plain str keeping its default; raw's AnyUrl (minLength 1) rejects it"
    ),
}

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


def _constraints(path: Path, module: str) -> dict[str, set[tuple[str, str]]] | str:
    """The constraints of each model of a package or module, or the error that stops its import."""
    probe = [sys.executable, "-W", "ignore", "-c", PROBE, str(path), module, json.dumps(CONSTRAINTS)]
    result = subprocess.run(probe, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return (result.stderr.strip().splitlines() or ["no output"])[-1]
    return {name: {(k, v) for k, v in found} for name, found in json.loads(result.stdout).items()}


@pytest.mark.parametrize("case", CASES)
def test_every_constraint_raw_states_ours_states(case: str, tmp_path: Path) -> None:
    """Per class where both name one (raw's ``MacList`` against ours), and over the whole document."""
    command = [RAW, "--input", FIXTURES / case / "spec.yaml", "--input-file-type", "openapi"]
    command += ["--output-model-type", "pydantic_v2.BaseModel", "--output"]
    generated = subprocess.run([*command, tmp_path / "raw_models.py"], capture_output=True, text=True, check=False)
    if "require an output directory" in generated.stderr:  # dotted names: raw writes a package of modules
        generated = subprocess.run([*command, tmp_path / "raw_models"], capture_output=True, text=True, check=False)
    if generated.returncode != 0:
        pytest.skip(f"raw datamodel-codegen fails on this fixture: {generated.stderr.strip().splitlines()[-1:]}")
    raw = _constraints(tmp_path, "raw_models")
    if isinstance(raw, str):
        pytest.skip(f"raw datamodel-codegen's models do not import: {raw}")
    ours = _constraints(GOLDEN / case, "models")
    assert not isinstance(ours, str), ours
    assert ours or not raw
    everything = set().union(*ours.values())
    missing = {
        (name, keyword, value)
        for name, found in raw.items()
        for keyword, value in found - ours.get(name, everything)
        if (case, keyword, value) not in STATED_OTHERWISE
    }
    assert not missing, f"raw datamodel-codegen states {sorted(missing)}; the generated package does not"


def test_the_exceptions_are_still_needed() -> None:
    """Each listed exception names a fixture that exists, so the list cannot outlive what it excuses."""
    assert {case for case, _, _ in STATED_OTHERWISE} <= set(CASES)
