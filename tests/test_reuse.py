"""Regeneration keeps the modules a change cannot affect (``generator.reuse``), and its output is byte for byte
what a full generation writes.

Each test generates a spec, copies the output folder twice, changes one input (a schema, the overlay, a template,
the engine's version) and generates again into both copies: into one with this machine's record of the last
generation (modules may be kept), into the other with an empty local cache (everything rendered again, with the
same name lock), and compares every file of the two.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import manifest, render
from generator.manifest import CACHE_ENV
from generator.reuse import (
    Composed,
    ModuleRecord,
    affected_schemas,
    check_names,
    owners,
    scan_schemas,
    state_from_json,
    state_to_json,
)
from tests.conftest import ROOT, run_cli, snapshot
from tests.golden_cases import ERROR_FILE, GOLDEN, cases

KEPT = "modules kept as the last generate wrote them"


class Run:
    """One spec (and overlay) in a folder of its own, generated once; ``again`` changes it and generates twice."""

    def __init__(self, tmp: Path, spec: Path, overlay: Path | None, package: str = "models") -> None:
        self.case = tmp / "case"
        shutil.copytree(spec.parent, self.case)
        self.spec = self.case / spec.name
        self.overlay = None
        if overlay is not None:
            self.overlay = self.case / overlay.name
            shutil.copyfile(overlay, self.overlay)
        self.tmp, self.package = tmp, package
        self.base = tmp / "base" / "out"
        result = run_cli(*self.argv(self.base))
        assert result.status == 0, result.stderr

    def argv(self, out: Path) -> list[str | Path]:
        overlay: list[str | Path] = ["--overlay", self.overlay] if self.overlay else ["--no-overlay"]
        return ["generate", "--spec", self.spec, *overlay, "--out", out, "--package", self.package]

    def edit_spec(self, change: Callable[[dict[str, Any]], None]) -> None:
        document = yaml.safe_load(self.spec.read_text(encoding="utf-8"))
        change(document)
        self.spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def again(self, monkeypatch: pytest.MonkeyPatch, before: Callable[[Path], None] | None = None) -> str:
        """Generate the changed input into a copy kept from and a copy rendered in full; assert they are equal
        and return what the first run printed."""
        kept, full = self.tmp / "kept" / "out", self.tmp / "full" / "out"
        for copy in (kept, full):
            shutil.rmtree(copy.parent, ignore_errors=True)
            shutil.copytree(self.base, copy)
        if before is not None:
            before(kept)
        reused = run_cli(*self.argv(kept))
        assert reused.status == 0, reused.stderr
        with monkeypatch.context() as patch:
            patch.setenv(CACHE_ENV, str(self.tmp / "empty-cache"))
            fresh = run_cli(*self.argv(full))
        assert fresh.status == 0, fresh.stderr
        assert KEPT not in fresh.stdout
        assert snapshot(kept) == snapshot(full)
        return reused.stdout


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


def test_one_changed_schema_keeps_the_other_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = Run(tmp_path, ROOT / "specs/workflows.yaml", ROOT / "specs/workflows.overlay.yaml", "nexthink_workflows")
    name = next(n for n, s in _schemas(yaml.safe_load(run.spec.read_text())).items() if "properties" in s)

    def change(document: dict[str, Any]) -> None:
        _schemas(document)[name]["properties"]["addedField"] = {"type": "string", "description": "New."}

    run.edit_spec(change)
    printed = run.again(monkeypatch)
    assert KEPT in printed
    assert "addedField" in (run.tmp / "kept/out/REFERENCE.md").read_text()


def test_a_changed_overlay_keeps_the_other_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = Run(tmp_path, ROOT / "specs/workflows.yaml", ROOT / "specs/workflows.overlay.yaml", "nexthink_workflows")
    assert run.overlay is not None
    overlay = yaml.safe_load(run.overlay.read_text())
    name = sorted(_schemas(yaml.safe_load(run.spec.read_text())))[0]
    overlay["actions"].append(
        {"target": f"$.components.schemas['{name}']", "update": {"description": "Described by the overlay."}}
    )
    run.overlay.write_text(yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8")
    printed = run.again(monkeypatch)
    assert KEPT in printed
    assert "Described by the overlay." in "".join(p.read_text() for p in (run.tmp / "kept/out").rglob("*.py"))


_UNION = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                },
            },
            "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Dog": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        }
    },
}


def test_a_discriminator_change_renders_its_branches_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine writes the union's tags into its branches (`kind: Literal['cat']`): a branch's module depends on
    # the union that refers to it, not only on what it refers to.
    spec = tmp_path / "source" / "pets.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(_UNION, sort_keys=False), encoding="utf-8")
    run = Run(tmp_path, spec, None)

    def change(document: dict[str, Any]) -> None:
        _schemas(document)["Pet"]["discriminator"]["mapping"] = {
            "kitty": "#/components/schemas/Cat",
            "dog": "#/components/schemas/Dog",
        }

    run.edit_spec(change)
    printed = run.again(monkeypatch)
    assert KEPT in printed  # Owner is kept
    assert "Literal['kitty']" in (run.tmp / "kept/out/models/cat.py").read_text()


def test_a_hand_edited_module_is_never_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "source" / "pets.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(_UNION, sort_keys=False), encoding="utf-8")
    run = Run(tmp_path, spec, None)
    run.edit_spec(lambda d: _schemas(d)["Cat"].update(description="A cat."))

    def edit(out: Path) -> None:
        owner = out / "models" / "owner.py"
        owner.write_text(owner.read_text() + "# edited by hand\n")

    run.again(monkeypatch, edit)
    assert "edited by hand" not in (run.tmp / "kept/out/models/owner.py").read_text()


def test_a_changed_template_renders_everything_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    monkeypatch.setattr(render, "TEMPLATES_DIR", templates)
    monkeypatch.setattr(manifest, "_TEMPLATES", templates)
    run = Run(tmp_path, ROOT / "specs/workflows.yaml", ROOT / "specs/workflows.overlay.yaml", "nexthink_workflows")
    module_template = templates / "package" / "module.py.jinja2"
    module_template.write_text(module_template.read_text() + "# a line the template now ends with\n")
    printed = run.again(monkeypatch)
    assert KEPT not in printed
    modules = [p for p in (run.tmp / "kept/out/nexthink_workflows").glob("*.py") if not p.name.startswith("_")]
    assert modules and all("a line the template now ends with" in p.read_text() for p in modules)


def test_another_engine_version_renders_everything_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = Run(tmp_path, ROOT / "specs/workflows.yaml", ROOT / "specs/workflows.overlay.yaml", "nexthink_workflows")
    run.edit_spec(lambda d: _schemas(d)[sorted(_schemas(d))[0]].update(description="Changed."))
    real = manifest.metadata.version
    monkeypatch.setattr(
        manifest.metadata, "version", lambda name: "0.0.1" if name == "datamodel-code-generator" else real(name)
    )
    printed = run.again(monkeypatch)
    assert KEPT not in printed


_CLASH = {
    "openapi": "3.0.3",
    "info": {"title": "Clash", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "A": {
                "type": "object",
                "properties": {"b_item": {"type": "object", "properties": {"x": {"type": "string"}}}},
            },
            "AB": {
                "type": "object",
                "properties": {"item": {"type": "object", "properties": {"y": {"type": "string"}}}},
            },
            "C": {"type": "object", "properties": {"z": {"type": "integer"}}},
        }
    },
}


@pytest.mark.parametrize(
    "change",
    [
        lambda d: _schemas(d)["A"]["properties"].pop("b_item"),
        lambda d: _schemas(d)["AB"]["properties"].pop("item"),
        lambda d: _schemas(d).pop("A"),
        lambda d: _schemas(d)["C"]["properties"].update(b_item={"type": "object", "properties": {"w": {}}}),
    ],
    ids=["drop-first", "drop-second", "remove-schema", "add-clash"],
)
def test_names_the_engine_numbers_over_the_whole_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[dict[str, Any]], None]
) -> None:
    spec = tmp_path / "source" / "clash.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(_CLASH, sort_keys=False), encoding="utf-8")
    run = Run(tmp_path, spec, None)
    run.edit_spec(change)
    run.again(monkeypatch)


def _fixture_cases() -> list[Any]:
    renders = [case for case in cases()[1:] if not (GOLDEN / case.name / ERROR_FILE).exists()]
    return [pytest.param(case, id=case.name) for case in renders]


@pytest.mark.parametrize("case", _fixture_cases())
def test_every_fixture_regenerates_as_a_full_generation_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Any
) -> None:
    """Each golden fixture, its first and last schema changed in turn (a property added to an object, the
    description of anything else): a partial regeneration equals a full one, whatever constructs the spec uses."""
    run = Run(tmp_path, case.spec, case.overlay, case.package)
    original = run.spec.read_text(encoding="utf-8")
    names = list((yaml.safe_load(original).get("components") or {}).get("schemas") or {})
    if not names:  # operations only: their schemas become components in normalise
        run.edit_spec(lambda d: d["info"].update(description="Changed by the test."))
        run.again(monkeypatch)
        return
    for name in dict.fromkeys([names[0], names[-1]]):

        def change(document: dict[str, Any], name: str = name) -> None:
            schema = _schemas(document)[name]
            if isinstance(schema.get("properties"), dict):
                schema["properties"]["added_by_the_test"] = {"type": "string"}
            elif isinstance(schema, dict) and "$ref" not in schema:
                schema["description"] = f"{schema.get('description') or ''} Changed by the test.".strip()

        run.spec.write_text(original, encoding="utf-8")
        run.edit_spec(change)
        run.again(monkeypatch)


def _graph(schemas: dict[str, Any]) -> dict[str, frozenset[str]] | None:
    scanned = scan_schemas(schemas)
    return None if scanned is None else scanned.edges


def test_the_graph_follows_references_and_discriminators() -> None:
    graph = _graph(_UNION["components"]["schemas"])  # type: ignore[index]
    assert graph is not None
    assert graph["Pet"] == {"Cat", "Dog"}
    assert graph["Cat"] == {"Pet"} and graph["Owner"] == frozenset()
    assert affected_schemas(graph, {"Pet"}) == {"Pet", "Cat", "Dog"}
    assert affected_schemas(graph, {"Owner"}) == {"Owner"}
    assert _graph({"A": {"$ref": "other.yaml#/A"}}) is None


_SUBTYPES = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}},
                "discriminator": {"propertyName": "kind"},
            },
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"meow": {"type": "boolean"}}}]},
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        }
    },
}


def test_a_parent_with_a_discriminator_depends_on_its_subtypes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph(_SUBTYPES["components"]["schemas"])  # type: ignore[index]
    assert graph is not None and graph["Pet"] == {"Cat"} and graph["Cat"] == {"Pet"}
    spec = tmp_path / "source" / "pets.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(_SUBTYPES, sort_keys=False), encoding="utf-8")
    run = Run(tmp_path, spec, None)
    bird = {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"wings": {"type": "integer"}}}]}
    run.edit_spec(lambda d: _schemas(d).update(Bird=bird))
    assert KEPT in run.again(monkeypatch)


def test_a_changed_operation_keeps_every_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine renders component schemas only; an operation's own schemas become components in normalise.
    run = Run(tmp_path, ROOT / "tests/fixtures/inline_operations/spec.yaml", None)

    def change(document: dict[str, Any]) -> None:
        operation = next(iter(document["paths"].values()))
        next(o for o in operation.values() if isinstance(o, dict))["summary"] = "Summarised by the test."

    run.edit_spec(change)
    assert KEPT in run.again(monkeypatch)


def _composed(classes: tuple[str, ...], imports: frozenset[str] | set[str] = frozenset()) -> Composed:
    return Composed("", classes, frozenset(imports), (), False)


def test_a_module_belongs_to_one_schema_or_there_is_no_state() -> None:
    modules = {"a": _composed(("A",), {"a_item"}), "a_item": _composed(("AItem",)), "b": _composed(("B",), {"a"})}
    assert owners(modules, ["A", "B"]) == {"a": "A", "a_item": "A", "b": "B"}
    shared = {**modules, "b": _composed(("B",), {"a_item"})}
    assert owners(shared, ["A", "B"]) is None
    orphan = {**modules, "stray": _composed(("Stray",))}
    assert owners(orphan, ["A", "B"]) is None


def test_names_numbered_where_a_plain_one_exists_are_refused() -> None:
    kept = {"b": ModuleRecord("B", ("B",), (), False), "b_item1": ModuleRecord("B", ("Item1",), (), False)}
    new = {"a": _composed(("A",)), "a_item": _composed(("AItem",))}
    assert check_names(new, {"a": "A", "a_item": "A"}, kept, [])
    assert not check_names(new, {"a": "A", "a_item": "A"}, kept, ["Item"])  # the plain name was dropped
    clash = {"a": _composed(("A",)), "b_item": _composed(("Item1",))}
    assert not check_names(clash, {"a": "A", "b_item": "A"}, kept, [])


def test_the_state_round_trips_and_anything_malformed_is_none() -> None:
    from generator.reuse import RenderState

    state = RenderState("k", {"A": "d"}, {"a": ModuleRecord("A", ("A",), ("P_PATTERN",), True)})
    assert state_from_json(state_to_json(state)) == state
    for broken in [None, [], {"version": 99}, {**state_to_json(state), "modules": {"a": ["A", "A", [], True]}}]:
        assert state_from_json(broken) is None


def test_the_local_cache_keeps_the_newest_states_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    manifest.remember("a manifest\n")
    for index in range(manifest._STATES_KEPT + 3):
        manifest.remember_render(f"manifest {index}\n", {"index": index})
    states = sorted(tmp_path.glob("*.render.json"))
    assert len(states) == manifest._STATES_KEPT and len(list(tmp_path.glob("*.ok"))) == 1
    last = f"manifest {manifest._STATES_KEPT + 2}\n"
    assert tmp_path / f"{hashlib.sha256(last.encode()).hexdigest()}.render.json" in states
