"""Names and structure on documents nobody here wrote: every module imports with warnings as errors, every
``__all__`` name resolves, every model builds its JSON schema, and names stay put when a spec grows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import Result, run_cli

# Imports every module of the package in a fresh interpreter with warnings as errors, resolves every name each
# module's __all__ lists, and builds every model's JSON schema; prints {module: [names]} as JSON.
_CHECK = """
import importlib, json, pkgutil, sys, warnings
warnings.simplefilter("error")
import pydantic
package = importlib.import_module(sys.argv[1])
found = {}
for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
    module = importlib.import_module(f"{package.__name__}.{info.name}")
    names = list(getattr(module, "__all__", []))
    for name in names:
        value = getattr(module, name)
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
            value.model_json_schema()
    found[info.name] = names
for name in package.__all__:
    getattr(package, name)
print(json.dumps(found))
"""


def spec_of(schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A minimal OpenAPI 3.0 document holding ``schemas`` as its components."""
    return {"openapi": "3.0.1", "info": {"title": "Names", "version": "1"}, "paths": {}, **extra} | (
        {"components": {"schemas": schemas}} if schemas else {}
    )


def generate(tmp_path: Path, spec: dict[str, Any], *options: str, package: str = "models") -> Result:
    """Write ``spec`` and run `generate --no-overlay` on it into ``tmp_path/out``."""
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    argv = ["generate", "--spec", path, "--no-overlay", "--out", tmp_path / "out", "--releases", tmp_path / "none"]
    return run_cli(*argv, *(["--package", package] if package else []), *options)


def check_package(out: Path, package: str = "models") -> dict[str, list[str]]:
    """Import, resolve and build everything in the generated package; lint it; return each module's ``__all__``."""
    ran = subprocess.run(
        [sys.executable, "-W", "error", "-c", _CHECK, package],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    lint = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", "--isolated", "--no-cache", "--select", "E9,F", package],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    result: dict[str, list[str]] = json.loads(ran.stdout)
    return result


def _obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# 1. Classes the engine moves into _internal.py to break an import cycle stay importable from their own module.
def test_reexports_of_cycle_breaking_module_resolve(tmp_path: Path) -> None:
    schemas = {
        "Conditions": {"oneOf": [_ref("A"), _ref("B"), _ref("C")]},
        "A": _obj(name={"type": "string"}, nested=_ref("Ruleset")),
        "B": _obj(id={"type": "integer"}, nested=_ref("Ruleset")),
        "C": _obj(flag={"type": "boolean"}),
        "Ruleset": _obj(conditions=_ref("Conditions")),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    assert "_internal" in modules  # the case this test is about: the engine did break a cycle
    assert modules["conditions"] == ["Conditions"]
