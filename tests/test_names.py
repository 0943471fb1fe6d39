"""Names and structure on documents nobody here wrote: every module imports with warnings as errors, every
``__all__`` name resolves, every model builds its JSON schema, and names stay put when a spec grows."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from generator.api_diff import api_surface, diff_api
from generator.config import default_releases
from generator.manifest import MANIFEST, build_manifest
from generator.normalise import package_name_for
from generator.pipeline import compare_specs
from tests.bar import RUFF_RULES
from tests.conftest import ROOT, Result, run_cli

# Imports every module of the package in a fresh interpreter with warnings as errors, resolves every name each
# module's __all__ lists, and builds every model's JSON schema; prints {module: [__all__ or own classes]} as JSON.
_CHECK = """
import importlib, json, pkgutil, sys, warnings
warnings.simplefilter("error")
import pydantic
package = importlib.import_module(sys.argv[1])
found = {}
for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
    module = importlib.import_module(f"{package.__name__}.{info.name}")
    own = [n for n, v in vars(module).items() if isinstance(v, type) and v.__module__ == module.__name__]
    names = list(getattr(module, "__all__", own))
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


def test_reexport_modules_pass_the_import_sorter(tmp_path: Path) -> None:
    """A module that only re-exports from ``_internal`` has one blank line before its ``__all__`` (isort's rule:
    two only before a class or function); Directus's ``files.py`` failed ``ruff check`` with I001."""
    schemas = {
        "Conditions": {"oneOf": [_ref("A"), _ref("B")]},
        "A": _obj(name={"type": "string"}, nested=_ref("Ruleset")),
        "B": _obj(id={"type": "integer"}, nested=_ref("Ruleset")),
        "Ruleset": _obj(conditions=_ref("Conditions")),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    assert "_internal" in check_package(tmp_path / "out")
    lint = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", "--isolated", "--no-cache", "--select", "I", "models"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_imports_and_exports_are_in_natural_order(tmp_path: Path) -> None:
    """isort and ruff sort names naturally (``Slug2`` before ``Slug10``; imports case folded, ``GET_APIKEY_R`` before
    ``GET_APIKEYS_R``, ``__all__`` case kept), import lines by module (``.slug`` before ``.slug1``): plain string
    order failed ``ruff check`` on readme.com's and GitHub's dereferenced packages."""
    pattern = {"type": "string", "pattern": "^[a-z]+$"}
    schemas = {
        **{f"Slug{n}": _obj(uri=pattern) for n in ("", 1, 2, 10)},
        "get-apikey": _obj(uri=pattern),
        "get-apikeys": _obj(uri=pattern),
        "Holder": _obj(**{f"s{n}": _ref(f"Slug{n}") for n in ("", 1, 2, 10)}),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    check_package(tmp_path / "out")
    lint = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", *RUFF_RULES, "models"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout


def test_typographic_characters_in_descriptions_pass_ruff_and_keep_their_value(tmp_path: Path) -> None:
    """GitHub writes ``the repository\u2019s default branch``: the character reached the code as it is and failed
    ``ruff check`` (RUF001 ambiguous character); it is now an escape, and the description is the same text."""
    text = "The repository\u2019s default\u00a0branch, caf\u00e9."
    schemas = {"Branch": _obj(name={"type": "string", "description": text})}
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    check_package(tmp_path / "out")
    lint = subprocess.run(
        [Path(sys.executable).parent / "ruff", "check", *RUFF_RULES, "models"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    program = "from models import Branch\nprint(ascii(Branch.model_fields['name'].description))\n"
    assert run_python(tmp_path / "out", program).strip() == ascii(text)


def test_manifest_hashes_any_input_generate_accepts(tmp_path: Path) -> None:
    """The document size limit went up to 128 MiB, but the manifest read inputs up to 64 MiB only: GitHub's 70 MiB
    dereferenced description generated, then failed with ``error: output: larger than 67108864 bytes``."""
    spec = tmp_path / "big.json"
    with spec.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)
    text = build_manifest(tmp_path / "out", {}, [spec], {})
    assert "big.json" in text


def run_python(out: Path, program: str) -> str:
    """Run ``program`` with the generated package importable, warnings as errors; return its stdout."""
    ran = subprocess.run(
        [sys.executable, "-W", "error", "-c", program], cwd=out, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    return ran.stdout


# 2. A component that is a union of inline allOf objects (GitHub's OrgRulesetConditions) stays a union of three.
def test_inline_subclasses_of_one_property_name_get_distinct_class_names(tmp_path: Path) -> None:
    """Two responses each with `links: {allOf: [Self, Pages]}` (the Train Travel API's shape): the engine named both
    classes `Links`, so the package exported a class named Links as `Links1`."""
    links = {"allOf": [_ref("links-self"), _ref("links-pages")]}
    schemas = {
        "links-self": _obj(self={"type": "string"}),
        "links-pages": _obj(next={"type": "string"}),
        "stations": _obj(links=links, data={"type": "array", "items": {"type": "string"}}),
        "trips": _obj(links=links, history={"type": "array", "items": links}),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    classes = [name for names in modules.values() for name in names]
    assert {"StationsLinks", "TripsLinks", "TripsHistoryItem"} <= set(classes)
    assert len(classes) == len(set(classes)), classes
    init = (tmp_path / "out" / "models" / "__init__.py").read_text()
    assert " as " not in init


def test_inline_classes_named_elsewhere_than_their_place_get_unique_names(tmp_path: Path) -> None:
    """GitHub's shapes that gave one class name in several modules (exported as ``Issue1``, ``BudgetBudgetType1``):
    an ``allOf`` of inline titled objects (merged into one), inline enums as union members, and the inline items of
    ``assignees`` beside an ``assignee`` property, an inline enum named like a component, a union of arrays of
    inline objects, ``issue.type`` beside ``issue_type`` (GitHub's dereferenced description). Each is named from its
    place (numbered when that meets a component's name); the package exports no alias."""
    user = {"title": "User", **_obj(login={"type": "string"})}
    issue = {"title": "Issue", **_obj(assignee=user, assignees={"type": "array", "items": user})}
    extra = _obj(owner=_obj(id={"type": "integer"}), artifacts={"type": "array", "items": _obj(id={})})
    schemas = {
        "opened": _obj(issue={"allOf": [issue, _obj(number={"type": "integer"})]}),
        "closed": _obj(issue={"allOf": [issue, _obj(reason={"type": "string"})]}),
        "task": {"allOf": [_obj(id={"type": "string"}), extra]},
        "job": {"allOf": [_obj(id={"type": "string"}), extra]},
        "budget": _obj(kind={"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}]}),
        "quota": _obj(kind={"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["c"]}]}),
        "analysis": _obj(status={"type": "string", "enum": ["done"]}),
        "analysis-status": {"type": "string", "enum": ["pending"]},
        "starred": {"anyOf": [{"type": "array", "items": _obj(a={})}, {"type": "array", "items": _obj(b={})}]},
        "advisory": _obj(author={"nullable": True, "allOf": [{"title": "User", **_obj(login={"type": "string"})}]}),
        "report": _obj(author={"nullable": True, "allOf": [{"title": "User", **_obj(login={"type": "string"})}]}),
        "event": _obj(issue=_obj(type=_obj(id={})), issue_type={"type": "string", "enum": ["bug"]}),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    classes = [name for names in modules.values() for name in names]
    assert len(classes) == len(set(classes)), sorted(classes)
    assert {"OpenedIssue", "OpenedIssueAssigneesItem", "BudgetKindOption2", "TaskArtifactsItem"} <= set(classes)
    assert {"AnalysisStatus", "AnalysisStatus2", "StarredOption1Item", "StarredOption2Item"} <= set(classes)
    assert {"AdvisoryAuthor", "ReportAuthor", "EventIssueType", "EventIssueType2"} <= set(classes)
    init = (tmp_path / "out" / "models" / "__init__.py").read_text()
    assert " as " not in init
    program = (
        "from models import Opened, Budget\n"
        "issue = {'assignee': {'login': 'a'}, 'assignees': [{'login': 'b'}], 'number': 1}\n"
        "o = Opened.model_validate({'issue': issue})\n"
        "print(o.issue.assignees[0].login, o.issue.number, Budget.model_validate({'kind': 'b'}).kind.value)\n"
    )
    assert run_python(tmp_path / "out", program).strip() == "b 1 b"


def test_object_with_a_union_of_partial_members_gets_one_class_per_member(tmp_path: Path) -> None:
    """GitHub's ``checks/update`` body: properties plus an ``anyOf`` of members that narrow them. The engine merged
    each member with the parent into classes all named ``ChecksUpdateChecksUpdate`` (exported as ``...1``); each
    member is now the whole object, named from its place, and a payload is checked against the right one."""
    status = {"type": "string", "enum": ["queued", "completed"]}
    update = {
        "type": "object",
        "description": "An update.",
        "properties": {"name": {"type": "string"}, "status": status, "conclusion": {"type": "string"}},
        "anyOf": [
            {"properties": {"status": {"enum": ["completed"]}}, "required": ["conclusion"]},
            {"properties": {"status": {"enum": ["queued"]}}},
        ],
    }
    pages = {"type": "object", "properties": {"cname": {"type": "string"}}, "oneOf": [{"required": ["cname"]}]}
    result = generate(tmp_path, spec_of({"ChecksUpdate": update, "Pages": pages}))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    classes = [name for names in modules.values() for name in names]
    assert len(classes) == len(set(classes)), sorted(classes)
    assert {"ChecksUpdateOption1", "ChecksUpdateOption2", "PagesOption1"} <= set(classes)
    assert " as " not in (tmp_path / "out" / "models" / "__init__.py").read_text()
    program = (
        "from models import ChecksUpdate\n"
        "done = ChecksUpdate.model_validate({'status': 'completed', 'conclusion': 'ok', 'name': 'n'}).root\n"
        "print(type(done).__name__, done.name)\n"
        "try:\n    ChecksUpdate.model_validate({'status': 'completed'})\nexcept ValueError:\n    print('refused')\n"
    )
    assert run_python(tmp_path / "out", program).split() == ["ChecksUpdateOption1", "n", "refused"]


def test_union_of_inline_objects_is_not_a_self_reference(tmp_path: Path) -> None:
    def option(title: str, target: str) -> dict[str, Any]:
        return {"type": "object", "title": title, "allOf": [_ref("base-conditions"), _ref(target)]}

    schemas = {
        "org-conditions": {
            "title": "Organization conditions",
            "type": "object",
            "oneOf": [
                option("by_name", "name-target"),
                option("by_id", "id-target"),
                {"type": "object", "allOf": [_ref("base-conditions"), _ref("property-target")]},
            ],
        },
        "base-conditions": _obj(ref_name={"type": "string"}),
        "name-target": {**_obj(repository_name={"type": "string"}), "required": ["repository_name"]},
        "id-target": {**_obj(repository_id={"type": "integer"}), "required": ["repository_id"]},
        "property-target": {**_obj(prop={"type": "string"}), "required": ["prop"]},
        "ruleset": _obj(conditions=_ref("org-conditions"), parent=_ref("ruleset")),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    assert {"OrgConditionsByName", "OrgConditionsById", "OrgConditionsOption3"} <= set().union(*modules.values())
    program = (
        "from models import OrgConditions, Ruleset\n"
        "print(sorted(a.__name__ for a in OrgConditions.model_fields['root'].annotation.__args__))\n"
        "r = Ruleset.model_validate({'conditions': {'repository_id': 3}, 'parent': {'conditions': {'prop': 'x'}}})\n"
        "print(type(r.conditions.root).__name__, type(r.parent.conditions.root).__name__)\n"
    )
    assert run_python(tmp_path / "out", program).split("\n")[:2] == [
        "['OrgConditionsById', 'OrgConditionsByName', 'OrgConditionsOption3']",
        "OrgConditionsById OrgConditionsOption3",
    ]


# 6. Names that differ only in case or by a dot get distinct, deterministic class names instead of an error.
def test_schema_names_colliding_after_sanitising_are_numbered(tmp_path: Path) -> None:
    schemas = {
        "input.Message": _obj(a={"type": "string"}),
        "InputMessage": _obj(b={"type": "string"}),
        "m": _obj(c={"type": "string"}),
        "M": _obj(d={"type": "string"}),
        "Holder": _obj(x=_ref("input.Message"), y=_ref("InputMessage"), z=_ref("m"), w=_ref("M")),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    assert modules["input_message"] == ["InputMessage"] and modules["input_message2"] == ["InputMessage2"]
    assert modules["m"] == ["M"] and modules["m2"] == ["M2"]
    program = (
        "from models import Holder\n"
        "h = Holder.model_validate({'x': {'a': '1'}, 'y': {'b': '2'}, 'z': {'c': '3'}, 'w': {'d': '4'}})\n"
        "print(h.model_dump(exclude_none=True))\n"
    )
    assert run_python(tmp_path / "out", program).strip() == (
        "{'x': {'a': '1'}, 'y': {'b': '2'}, 'z': {'c': '3'}, 'w': {'d': '4'}}"
    )


# 3. An allOf inheritance cycle is refused, naming the $ref that closes it.
def test_allof_inheritance_cycle_is_refused(tmp_path: Path) -> None:
    schemas = {
        "A": {"allOf": [_ref("B"), _obj(a={"type": "string"})]},
        "B": {"allOf": [_ref("C")]},
        "C": {"allOf": [{"allOf": [_ref("A")]}]},
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 2 and result.stderr.count("\n") == 1
    assert "allOf inheritance cycle: A -> B -> C -> A" in result.stderr
    assert "at /components/schemas/C/allOf/0/allOf/0/$ref" in result.stderr
    assert not (tmp_path / "out").exists()


# 11. `$ref: '#'` and references into non-schema places are invalid OpenAPI: exit 2 naming the pointer.
@pytest.mark.parametrize("target", ["#", "#/info", "#/paths", "#/components/schemas"])
def test_ref_to_a_non_schema_is_refused(tmp_path: Path, target: str) -> None:
    schemas = {"A": _obj(self={"$ref": target}, b={"type": "string"})}
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 2 and result.stderr.count("\n") == 1, result.stderr
    assert f"$ref {target!r} does not point to a schema" in result.stderr
    assert "at /components/schemas/A/properties/self/$ref" in result.stderr


def test_ref_into_a_schema_inside_another_is_accepted(tmp_path: Path) -> None:
    example = {"example": {"$ref": "#/components/examples/x"}}  # data, not a reference
    schemas = {
        "A": _obj(b={"type": "string"}),
        "B": {**_obj(c={"$ref": "#/components/schemas/A/properties/b"}, enum={"type": "string"}), **example},
    }
    spec = spec_of(schemas)
    spec["components"]["examples"] = {"x": {"value": 1}}
    result = generate(tmp_path, spec)
    assert result.status == 0, result.stderr
    check_package(tmp_path / "out")


# 12. Package names that are keywords, shadow imports or are reserved on Windows are refused.
@pytest.mark.parametrize("package", ["class", "None", "import", "typing", "pydantic", "os", "con", "Nul", "com1"])
def test_bad_package_name_is_refused(tmp_path: Path, package: str) -> None:
    result = generate(tmp_path, spec_of({"A": _obj(b={"type": "string"})}), package=package)
    assert result.status == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: --package: {package!r} ")
    assert not (tmp_path / "out").exists()


# 12. Schema names that would shadow an import or be a Windows-reserved file name get a suffixed class and module.
def test_module_names_never_shadow_imports_or_windows_devices(tmp_path: Path) -> None:
    names = ["os", "typing", "pydantic", "enum", "datetime", "con", "NUL", "Aux", "prn", "com1", "LPT9", "Ok"]
    schemas = {name: _obj(value={"type": "string"}) for name in names}
    schemas["Holder"] = _obj(**{name: _ref(name) for name in names})
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    stems = {stem.lower() for stem in modules}
    assert not stems & {"os", "typing", "pydantic", "enum", "datetime", "con", "nul", "aux", "prn", "com1", "lpt9"}
    assert {"os_model", "con_model", "nul_model", "lpt9_model", "ok"} <= stems
    payload = {name: {"value": name} for name in names}
    check = f"Holder.model_validate({payload!r}).model_dump(by_alias=True) == {payload!r}"
    program = f"from models import Holder\nprint({check})\n"
    assert run_python(tmp_path / "out", program).strip() == "True"


# 6. A document whose schemas are all inline in operations still gets its models, named from the operation.
def test_inline_operation_schemas_become_models(tmp_path: Path) -> None:
    item = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    status = {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["alive", "dead"]}}
    paths = {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [status, {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "array", "items": item}}},
                    },
                    "default": {"description": "error", "content": {"application/json": {"schema": _obj(code={})}}},
                },
            },
            "post": {
                "requestBody": {"content": {"application/json": {"schema": _obj(name={"type": "string"})}}},
                "responses": {"201": {"description": "created"}},
            },
        }
    }
    result = generate(tmp_path, spec_of({}, paths=paths))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    classes = {name for names in modules.values() for name in names}
    assert classes == {"ListPetsQueryStatus", "ListPetsResponse200Item", "ListPetsResponseDefault", "PostPetsRequest"}
    program = "from models import ListPetsResponse200Item as I\nprint(I.model_validate({'name': 'rex'}).name)\n"
    assert run_python(tmp_path / "out", program).strip() == "rex"


def test_a_null_media_type_schema_is_no_schema(tmp_path: Path) -> None:
    """Directus writes ``content: {application/json: {schema: null}}``: read as no schema, as if the key were
    absent, not a refusal of the whole document (no stage walks a media type without a schema)."""
    body = {"content": {"application/json": {"schema": None}}}
    paths = {"/items": {"post": {"requestBody": body, "responses": {"200": {"description": "ok"}}}}}
    result = generate(tmp_path, spec_of({"Item": _obj(name={"type": "string"})}, paths=paths))
    assert result.status == 0, result.stderr
    assert check_package(tmp_path / "out") == {"item": ["Item"]}


def test_engine_extensions_in_another_shape_do_not_stop_generation(tmp_path: Path) -> None:
    """Scalar writes ``x-enum-descriptions`` as an object keyed by value; the engine reads that extension as its own
    and refused the document (it wants a list). An object becomes the list; a shape that cannot is dropped."""
    kind = {"type": "string", "enum": ["rock", "gas"], "x-enum-descriptions": {"gas": "Mostly hydrogen"}}
    schemas = {
        "Planet": _obj(kind=kind, size={"type": "string", "enum": ["s", "l"], "x-enumNames": 3}),
        "Moon": {"type": "string", "enum": ["a"], "x-enum-varnames": {"a": 1}, "x-enum-field-as-literal": "yes"},
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    assert modules["planet"] == ["Planet"]
    program = "from models import PlanetKind, Moon\nprint([m.value for m in PlanetKind], [m.value for m in Moon])\n"
    assert run_python(tmp_path / "out", program).strip() == "['rock', 'gas'] ['a']"


def test_document_without_any_model_schema_gives_an_empty_package_with_a_note(tmp_path: Path) -> None:
    paths = {"/ping": {"get": {"responses": {"200": {"description": "ok"}}}}}
    result = generate(tmp_path, spec_of({}, paths=paths))
    assert result.status == 0, result.stderr
    assert check_package(tmp_path / "out") == {}
    init = (tmp_path / "out" / "models" / "__init__.py").read_text(encoding="utf-8")
    assert "defines no schema that becomes a model" in init


# 4. Properties in pydantic's protected namespace get an attribute that does not warn, and keep their wire name.
def test_protected_property_names_do_not_warn_and_keep_their_wire_name(tmp_path: Path) -> None:
    wire = ["model_dump", "Model-Dump", "model_validate_json", "model_config", "model_fields", "copy", "schema"]
    schemas = {"A": _obj(**{name: {"type": "string"} for name in wire})}
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    check_package(tmp_path / "out")  # imports with -W error
    payload = {name: f"v{index}" for index, name in enumerate(wire)}
    program = (
        "from models import A\n"
        f"a = A.model_validate({payload!r})\n"
        f"print(a.model_dump(by_alias=True) == {payload!r}, a.field_model_dump, a.field_model_dump_2)\n"
    )
    assert run_python(tmp_path / "out", program).strip() == "True v0 v1"


# 10. Names Python NFKC-normalises: modules are found, enum members distinct, wire keys accepted, nothing merges.
def test_nfkc_names_stay_distinct_and_keep_their_wire_names(tmp_path: Path) -> None:
    efile, kelvin, fullwidth = "e\ufb01le", "\u212aelvin", "\uff21bc"
    schemas = {
        efile: _obj(**{efile: {"type": "string"}, "efile": {"type": "integer"}, kelvin: {}, fullwidth: {}}),
        kelvin: {"type": "string", "enum": [efile, "efile", "\u212a", "K", "\uff21", "A"]},
        fullwidth: _obj(x=_ref(kelvin), inner={"type": "object", "properties": {"\uff26oo": {"type": "string"}}}),
    }
    result = generate(tmp_path, spec_of(schemas))
    assert result.status == 0, result.stderr
    modules = check_package(tmp_path / "out")
    assert all(name.isascii() for name in modules)
    payload = {efile: "a", "efile": 1, kelvin: "b", fullwidth: "c"}
    program = (
        "import models as m\n"
        f"print(sorted(v.value for v in m.Kelvin) == sorted({schemas[kelvin]['enum']!r}))\n"
        f"print(m.Efile.model_validate({payload!r}).model_dump(by_alias=True) == {payload!r})\n"
        f"print(m.Abc.model_validate({{'x': 'K', 'inner': {{'\\uff26oo': 'f'}}}}).x is m.Kelvin.K)\n"
        f"print(m.Abc.model_validate({{'x': '\\u212a'}}).x.value == '\\u212a')\n"
    )
    assert run_python(tmp_path / "out", program).split() == ["True"] * 4


# 7. Name stability: adding schemas, properties or enum values never renames or retypes what the smaller spec had,
# when the larger spec is generated into the same --out (which holds the smaller one's names) or diffed with it.
_REGEXES = ["^[a-z]+$", "^[0-9]{2,4}$", "^[A-F0-9]{4}-[A-F0-9]{4}$"]
_WORDS = st.from_regex(r"[a-z][a-zA-Z0-9]{0,6}", fullmatch=True)
_VALUES = st.from_regex(r"[A-Za-z][A-Za-z0-9_ -]{0,5}", fullmatch=True)
_ADDITIONS = {"class-added", "field-added-optional", "member-added"}


@st.composite
def _property(draw: st.DrawFn, schema_names: list[str], depth: int = 0) -> dict[str, Any]:
    kinds = ["string", "integer", "pattern", "enum", "array"] + (["ref"] if schema_names else [])
    kind = draw(st.sampled_from(kinds + (["object", "map"] if depth == 0 else [])))
    if kind == "pattern":
        return {"type": "string", "pattern": draw(st.sampled_from(_REGEXES))}
    if kind == "enum":  # an inline enum: a class the engine names after its place (`Job.status` → `JobStatus`)
        return {"type": "string", "enum": draw(st.lists(_VALUES, min_size=1, max_size=4, unique=True))}
    if kind == "array":
        return {"type": "array", "items": {"type": "string", "pattern": draw(st.sampled_from(_REGEXES))}}
    if kind == "ref":
        return _ref(draw(st.sampled_from(schema_names)))
    if kind == "object":  # an inline object, itself with inline enums or patterns: classes named from their place
        words = draw(st.lists(_WORDS, min_size=1, max_size=2, unique=True))
        return _obj(**{w: draw(_property(schema_names, depth + 1)) for w in words})
    if kind == "map":  # inline values of a map: a class named after the property (`Job.extra` → `JobExtra`)
        values = draw(st.sampled_from(["object", "enum"]))
        return {
            "type": "object",
            "additionalProperties": _obj(v={"type": "string"})
            if values == "object"
            else {"type": "string", "enum": draw(st.lists(_VALUES, min_size=1, max_size=3, unique=True))},
        }
    return {"type": kind}


def _insert(draw: st.DrawFn, mapping: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """``mapping`` with ``key`` inserted at a drawn position (additions need not come last)."""
    items = list(mapping.items())
    items.insert(draw(st.integers(0, len(items))), (key, value))
    return dict(items)


# Component names whose class name is derived (`job-status`, `job.status`, `jobStatus` → `JobStatus`), so that a
# component added later under the plain class name competes with them for it.
_STYLES = [str.capitalize, str.lower, lambda w: f"{w.lower()}-x", lambda w: f"{w.lower()}.x"]


@st.composite
def _small_spec(draw: st.DrawFn) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for word in draw(st.lists(_WORDS, min_size=1, max_size=3, unique_by=str.lower)):
        name = draw(st.sampled_from(_STYLES))(word)
        props = {p: draw(_property(list(schemas))) for p in draw(st.lists(_WORDS, min_size=1, max_size=4, unique=True))}
        schemas[name] = _obj(**props)
    # A component named like the class an inline property added later would get (`jobNstate` ~ `Job` + `nstate`).
    first = next(iter(schemas))
    for word in draw(st.lists(_WORDS, max_size=1)):
        schemas[f"{first.lower()}N{word}"] = _obj(v={"type": "string"})
    return spec_of(schemas)


def _grow(draw: st.DrawFn, small: dict[str, Any], classes: list[str]) -> dict[str, Any]:
    """A larger spec: components named like classes of the smaller package (or new names), inline properties named
    so that their class would be an existing class's name, other new properties, and new enum values."""
    schemas = small["components"]["schemas"]
    derived = sorted(c for c in classes if c not in schemas)
    grown = json.loads(json.dumps(schemas))
    names = st.sampled_from(derived) if derived else st.nothing()
    for name in draw(st.lists(st.one_of(names, _WORDS.map(lambda w: "X" + w)), max_size=3, unique=True)):
        if name not in grown:
            props = {p: draw(_property(list(schemas))) for p in draw(st.lists(_WORDS, min_size=1, max_size=3))}
            grown = _insert(draw, grown, name, _obj(**props))
    for name, schema in list(grown.items()):
        if name not in schemas:
            continue
        own = "".join(w[0].upper() + w[1:] for w in re.split(r"[^0-9A-Za-z]+", name) if w)  # its class name
        wanted = [c[len(own) :] for c in classes if c.startswith(own) and c[len(own) :].isalnum()]
        clashing = [w[0].lower() + w[1:] for w in wanted if w[0].isupper()]
        extra = draw(st.lists(st.one_of(st.sampled_from(clashing), _WORDS) if clashing else _WORDS, max_size=2))
        for prop in ("n" + p if p[0] != "n" else p for p in extra):
            if prop not in schema["properties"]:
                schema["properties"] = _insert(draw, schema["properties"], prop, draw(_property(list(schemas))))
        for value in draw(st.lists(_VALUES, max_size=2)):
            enums = [s for s in _walk_properties(schema) if "enum" in s and value not in s["enum"]]
            if enums:
                enum = enums[draw(st.integers(0, len(enums) - 1))]["enum"]
                enum.insert(draw(st.integers(0, len(enum))), value)
    return spec_of(grown)


def _walk_properties(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every property schema under an object schema, nested inline objects included."""
    found = []
    for sub in schema.get("properties", {}).values():
        found.append(sub)
        if "properties" in sub:
            found += _walk_properties(sub)
    return found


def _exports(files: dict[str, str]) -> dict[str, str]:
    """Every exported name of a rendered package with the module that defines it (or the regex it holds)."""
    found = {}
    for line in files["__init__.py"].splitlines():
        if line.startswith("from ."):
            module, _, names = line[len("from .") :].partition(" import ")
            for name in names.strip("()").split(", "):
                found[name.split(" as ")[-1]] = module
    patterns = files.get("_patterns.py", "")
    found.update(re.findall(r"^(\w+_PATTERN) = (.+)$", patterns, flags=re.MULTILINE))
    return found


def _package(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((out / "models").glob("*.py"))}


def assert_only_additions(small: dict[str, str], large: dict[str, str]) -> None:
    """Every name (class, field, enum member, pattern constant) and type of ``small`` is in ``large`` unchanged, and
    importable from where it was: its own module, which re-exports it when an import cycle moved it to _internal."""
    changes = diff_api(api_surface(small), api_surface(large))
    assert {c.id for c in changes} <= _ADDITIONS, changes
    before, after = _exports(small), _exports(large)
    regexes = [{n: exports.get(v, v) for n, v in exports.items()} for exports in (before, after)]  # `A = B` aliases
    for name, where in before.items():
        assert name in after, f"{name} disappeared"
        if name.endswith("_PATTERN"):
            assert regexes[1][name] == regexes[0][name], f"{name} changed its regex"
        elif after[name] != where:
            # A new reference can close an import cycle; the engine then defines the classes of the cycle in
            # `_internal` and their modules re-export them. Users' imports (`from pkg.a import A`) still work.
            module = ast.parse(large.get(f"{where}.py", ""))
            listed = [
                ast.literal_eval(node.value)
                for node in module.body
                if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
            ]
            moved = f"{name} moved from {where} to {after[name]}"
            assert after[name] == "_internal" and listed and name in listed[0], moved


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_growing_a_spec_never_renames_or_retypes(data: st.DataObject) -> None:
    small_spec = data.draw(_small_spec(), label="small")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        assert generate(tmp, small_spec).status == 0
        small = _package(tmp / "out")
        large_spec = _grow(data.draw, small_spec, list(api_surface(small)))
        note(f"large: {json.dumps(large_spec['components']['schemas'])}")
        result = generate(tmp, large_spec)  # into the same --out: the smaller package's names are kept
        assert result.status == 0, result.stderr
        assert_only_additions(small, _package(tmp / "out"))
    # `diff` renders both sides; the new side keeps the old side's names, so it reports additions only.
    report = compare_specs(small_spec, large_spec, "small", "large")
    assert report.python_api_absent is None
    assert {c.id for c in report.python_api} <= _ADDITIONS, report.python_api


def _status_specs() -> tuple[dict[str, Any], dict[str, Any]]:
    """A spec whose inline ``Job.status`` (an enum) and ``Job.detail`` (an object) are classes named after their
    place, and its next version, which adds components with exactly those names (the vendor's own)."""
    job = _obj(status={"type": "string", "enum": ["queued", "done"]}, detail=_obj(code={"type": "string"}))
    job["properties"]["extra"] = {"type": "object", "additionalProperties": _obj(note={"type": "string"})}
    body = {"content": {"application/json": {"schema": _obj(name={"type": "string", "pattern": "^[a-z]+$"})}}}
    paths = {"/jobs": {"post": {"operationId": "createJob", "requestBody": body, "responses": {"200": {}}}}}
    paths["/jobs"]["post"]["responses"]["200"]["description"] = "ok"
    small = spec_of({"Job": job, "job-run": _obj(id={"type": "string", "pattern": "^[a-z]+$"})}, paths=paths)
    added = {"JobStatus": _obj(since={"type": "string"}), "JobDetail": _obj(at={"type": "integer"})}
    added["JobExtra"] = _obj(by={"type": "string"})
    added["JobRun"] = _obj(ok={"type": "boolean"})  # the class name `job-run` was given
    added["CreateJobRequest"] = _obj(q={"type": "integer"})  # the class name the inline request body was given
    large = spec_of({**small["components"]["schemas"], **added}, paths=paths)
    return small, large


def test_a_component_added_under_an_existing_class_name_gets_the_number(tmp_path: Path) -> None:
    small, large = _status_specs()
    assert generate(tmp_path, small).status == 0
    before = _package(tmp_path / "out")
    result = generate(tmp_path, large)
    assert result.status == 0, result.stderr
    after = _package(tmp_path / "out")
    assert_only_additions(before, after)
    assert {
        "class JobStatus2(",
        "class JobDetail2(",
        "class JobExtra2(",
        "class JobRun2(",
        "class CreateJobRequest2(",
    } <= {line.partition("BaseModel")[0] for text in after.values() for line in text.splitlines()}
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["names"]["classes"]["/components/schemas/Job/properties/status"] == "JobStatus"
    assert manifest["names"]["classes"]["/components/schemas/JobStatus"] == "JobStatus2"
    check_package(tmp_path / "out")
    # `check --full` regenerates with the committed record, so the locked tree is current.
    argv = ["--spec", tmp_path / "spec.yaml", "--no-overlay", "--out", tmp_path / "out", "--package", "models"]
    assert run_cli("check", "--full", *argv, "--releases", tmp_path / "none").status == 0
    # Generated into an empty folder, the larger spec gets fresh names: the newcomer takes the plain name.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert generate(fresh, large).status == 0
    assert "class JobStatus(BaseModel)" in _package(fresh / "out")["job_status.py"]


def test_diff_reports_a_component_added_under_an_existing_class_name_as_an_addition(tmp_path: Path) -> None:
    small, large = _status_specs()
    for name, spec in (("old.yaml", small), ("new.yaml", large)):
        (tmp_path / name).write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    result = run_cli("diff", tmp_path / "old.yaml", tmp_path / "new.yaml", "--format", "json")
    assert result.status == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(c["message"] for c in report["python_api"]) == [
        "class CreateJobRequest2 added",
        "class JobDetail2 added",
        "class JobExtra2 added",
        "class JobRun2 added",
        "class JobStatus2 added",
    ]
    assert report["bump"] == "minor"


def test_update_keeps_the_names_recorded_in_the_generated_folder(tmp_path: Path) -> None:
    small, large = _status_specs()
    docs = tmp_path / "docs"
    docs.mkdir()
    argv = ["--docs", docs, "--api", "jobs", "--spec", tmp_path / "spec.yaml", "--no-overlay"]
    argv += ["--out", tmp_path / "out", "--package", "models", "--releases", tmp_path / "none"]
    for spec in (small, large):
        (docs / "jobs.md").write_text(f"# Jobs\n\n```json\n{json.dumps(spec)}\n```\n", encoding="utf-8")
        result = run_cli("update", "--format", "json", *argv)
        assert result.status == 0, result.stderr
        if spec is small:
            before = _package(tmp_path / "out")
    assert_only_additions(before, _package(tmp_path / "out"))
    report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    assert {c["id"] for c in report["python_api"]} == {"class-added"}, report["python_api"]


@pytest.mark.parametrize(
    "names",
    [
        "not a mapping",
        {"classes": ["JobStatus"], "patterns": 7},
        {"classes": {"/components/schemas/Job/properties/status": "Job(); import os"}},
        {"classes": {"/components/schemas/Job/properties/status": "class"}},
        {"classes": {"/components/schemas/Job/properties/status": "Typing"}},  # its module would shadow typing
        {"classes": {"/components/schemas/Job/properties/status": "X", "/components/schemas/Job": "X"}},
        {"classes": {"/components/schemas/Gone": "JobStatus", "/components/schemas/Job/properties/status": 3}},
        {"patterns": {"/components/schemas/job-run/properties/id": "X = 1; import os; Y"}},
        {"classes": {"/components/schemas/Job/properties/status": "Y_PATTERN"}},  # no derived class has a `_`
        {"patterns": {"/components/schemas/job-run/properties/id": "JOB_RUN"}},  # nor a constant another suffix
    ],
)
def test_a_corrupt_name_record_means_fresh_names_never_an_error(tmp_path: Path, names: Any) -> None:
    small, large = _status_specs()
    assert generate(tmp_path, small).status == 0
    manifest = tmp_path / "out" / MANIFEST
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**recorded, "names": names}), encoding="utf-8")
    result = generate(tmp_path, large)
    assert result.status == 0 and result.stderr == "", result.stderr
    after = _package(tmp_path / "out")
    assert "import os" not in "".join(after.values())
    assert after == _package(_fresh(tmp_path / "fresh", large))
    check_package(tmp_path / "out")


def test_a_recorded_name_an_existing_class_has_still_gives_unique_names(tmp_path: Path) -> None:
    """A record written by hand can give an inline schema the name of a component (a real history never does):
    the recorded name is claimed, the component is numbered, and the package still imports and passes ruff."""
    small, large = _status_specs()
    assert generate(tmp_path, small).status == 0
    manifest = tmp_path / "out" / MANIFEST
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    names = {"classes": {"/components/schemas/Job/properties/status": "Job"}, "patterns": {}}
    manifest.write_text(json.dumps({**recorded, "names": names}), encoding="utf-8")
    assert generate(tmp_path, large).status == 0
    exported = check_package(tmp_path / "out")
    assert exported["job"] == ["Job"] and exported["job2"] == ["Job2"]


def test_an_unreadable_manifest_means_fresh_names(tmp_path: Path) -> None:
    small, large = _status_specs()
    assert generate(tmp_path, small).status == 0
    (tmp_path / "out" / MANIFEST).write_text('{"names": {"classes": {', encoding="utf-8")
    result = generate(tmp_path, large)
    assert result.status == 0 and result.stderr == "", result.stderr
    assert _package(tmp_path / "out") == _package(_fresh(tmp_path / "fresh", large))


def _fresh(folder: Path, spec: dict[str, Any]) -> Path:
    folder.mkdir()
    assert generate(folder, spec).status == 0
    return folder / "out"


# 8. Vendor-neutral: without the Workflows overlay nothing in the distribution comes from Nexthink defaults.
def test_other_specs_get_their_names_and_urls_from_the_spec(tmp_path: Path) -> None:
    spec = spec_of({"A": _obj(b={"type": "string"})}, externalDocs={"url": "https://example.org/docs"})
    spec["info"]["title"] = "Pet Store 2.0!"
    result = generate(tmp_path, spec, package="")
    assert result.status == 0, result.stderr
    out = tmp_path / "out"
    assert (out / "pet_store_2_0" / "__init__.py").exists()
    pyproject = (out / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "pet-store-2-0"' in pyproject and 'Documentation = "https://example.org/docs"' in pyproject
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()]
    assert not any("nexthink.com" in text or "nexthink_workflows" in text for text in texts)


def test_workflows_spec_without_its_overlay_is_not_the_workflows_package(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("generate", "--spec", ROOT / "specs/workflows.yaml", "--no-overlay", "--out", out)
    assert result.status == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["workflows"]
    assert "nexthink.com" not in (out / "pyproject.toml").read_text(encoding="utf-8")


def test_project_release_history_applies_to_the_workflows_package_only() -> None:
    assert default_releases(spec_given=False, overlay=Path("specs/workflows.overlay.yaml")) == Path("specs/releases")
    assert default_releases(spec_given=True, overlay=Path("specs/workflows.overlay.yaml")) is None
    assert default_releases(spec_given=False, overlay=None) is None


def test_manifest_does_not_depend_on_the_working_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = ["-m", "generator", "generate", "--spec", str(ROOT / "specs/workflows.yaml"), "--out", str(out)]
    argv += ["--overlay", str(ROOT / "specs/workflows.overlay.yaml")]
    manifests = []
    for cwd in (ROOT, tmp_path):
        ran = subprocess.run([sys.executable, *argv], cwd=cwd, capture_output=True, text=True, check=False)
        assert ran.returncode == 0, ran.stderr
        manifests.append((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifests[0] == manifests[1]


# 9. The engine's UserWarnings (with site-packages paths) never reach the user's terminal.
def test_engine_warnings_do_not_reach_stderr(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(spec_of({"A": _obj(repo={"type": "string", "format": "repo.nwo"})})))
    argv = ["-m", "generator", "generate", "--spec", str(spec), "--no-overlay", "--out", str(tmp_path / "out")]
    ran = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, check=False)
    assert ran.returncode == 0 and ran.stderr == "", ran.stderr
    check_package(tmp_path / "out", "names")


# Found on GitHub's spec: an `anyOf` of `required` naming an undeclared property gave a validator `self. is None`.
def test_required_alternative_naming_an_undeclared_property_gives_valid_code(tmp_path: Path) -> None:
    schema = {**_obj(cname={"type": "string"}), "anyOf": [{"required": ["cname"]}, {"required": ["public"]}]}
    result = generate(tmp_path, spec_of({"Req": schema}))
    assert result.status == 0, result.stderr
    check_package(tmp_path / "out")


# 5. Bundling: discriminator mappings that reference other files are bundled; a $ref'd path item is not a schema.
def test_discriminator_mapping_refs_to_other_files_are_bundled(tmp_path: Path) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    pet = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
    pets = {"Cat": {**pet, "properties": {**pet["properties"], "purr": {"type": "boolean"}}}, "Dog": pet}
    (folder / "pets.yaml").write_text(yaml.safe_dump(pets))
    union = {
        "oneOf": [{"$ref": "pets.yaml#/Cat"}, {"$ref": "pets.yaml#/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "pets.yaml#/Cat", "dog": "pets.yaml#/Dog"}},
    }
    (folder / "spec.yaml").write_text(yaml.safe_dump(spec_of({"Pet": union})))
    effective = tmp_path / "effective.yaml"
    argv = ["generate", "--spec", folder / "spec.yaml", "--no-overlay", "--out", tmp_path / "out"]
    result = run_cli(*argv, "--package", "models", "--effective-spec", effective)
    assert result.status == 0, result.stderr
    mapping = yaml.safe_load(effective.read_text())["components"]["schemas"]["Pet"]["discriminator"]["mapping"]
    assert mapping == {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"}
    check_package(tmp_path / "out")


def test_a_referenced_path_item_is_inlined_not_made_a_schema(tmp_path: Path) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    response = {"content": {"application/json": {"schema": {"$ref": "spec.yaml#/components/schemas/Pet"}}}}
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    paths = {
        "Pet": {"get": {"parameters": [{"$ref": "#/limit"}], "responses": {"200": {"description": "ok", **response}}}}
    }
    (folder / "paths.yaml").write_text(yaml.safe_dump({**paths, "limit": limit}))
    spec = spec_of({"Pet": _obj(name={"type": "string"})}, paths={"/pets": {"$ref": "paths.yaml#/Pet"}})
    (folder / "spec.yaml").write_text(yaml.safe_dump(spec))
    effective = tmp_path / "effective.yaml"
    argv = ["generate", "--spec", folder / "spec.yaml", "--no-overlay", "--out", tmp_path / "out"]
    result = run_cli(*argv, "--package", "models", "--effective-spec", effective)
    assert result.status == 0, result.stderr
    bundled = yaml.safe_load(effective.read_text())
    assert list(bundled["components"]["schemas"]) == ["Pet"]
    operation = bundled["paths"]["/pets"]["get"]
    assert operation["parameters"] == [limit]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == _ref("Pet")
    assert check_package(tmp_path / "out") == {"pet": ["Pet"]}


@pytest.mark.parametrize(
    ("title", "package"),
    [
        ("Nexthink Workflows", "nexthink_workflows"),
        ("GitHub's official OpenAPI spec + Octokit extension", "githubs_official_openapi_spec_octokit_extension"),
        ("", "models"),
        ("123 API", "models_123_api"),
        ("typing", "typing_models"),
        ("class", "class_models"),
        ("CON", "con_models"),
        ("\uff30et \ufb01le", "pet_file"),
    ],
)
def test_package_name_from_the_title(title: str, package: str) -> None:
    assert package_name_for({"info": {"title": title}}) == package
