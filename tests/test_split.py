"""The engine's work split into closed parts rendered side by side (``generator.split``, ``generator.workers``)
gives byte for byte what one rendering gives, or falls back to one rendering.

The golden fixtures are small, so these tests lower the size a part must have (``MIN_PART_SIZE``) to split even
them, and compare with the golden files, which one rendering wrote.
"""

from __future__ import annotations

import json
import os
import random
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pipeline, render, split
from generator.budget import time_budget
from generator.config import GenerateOptions
from generator.errors import CodegenError, CodegenWarning
from generator.reuse import Composed, closure, scan_schemas
from generator.split import merge_parts, partition
from generator.workers import can_fork, run_beside, run_side_by_side, usable_cores
from tests.conftest import ROOT, run_cli, snapshot
from tests.golden_cases import ERROR_FILE, GOLDEN, Case, cases, comparable, expected, run
from tests.synthetic import synthetic_spec

pytestmark = pytest.mark.skipif(not can_fork(), reason="parts run side by side in forked processes (Linux)")


class Outcomes:
    """Records how each rendering in parts ended: merged (True), or fell back to one rendering (False)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.merged: list[bool] = []
        self.parts: list[int] = []
        original = render.merge_parts

        def recorded(rendered: Any) -> Any:
            result = original(rendered)
            self.parts.append(len(rendered))
            self.merged.append(result is not None)
            return result

        monkeypatch.setattr(render, "merge_parts", recorded)
        monkeypatch.setattr(split, "MIN_PART_SIZE", 1)


def _in_parts(case: Case, out: Path, jobs: int) -> dict[str, str]:
    original = case.argv

    class WithJobs(Case):
        def argv(self, out: Path) -> list[str]:
            return [*original(out), "--jobs", str(jobs)]

    return run(WithJobs(case.name, case.spec, case.overlay, case.package), out)


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_every_fixture_in_parts_is_its_golden_tree(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three parts where the fixture has schemas enough; an error is reported as one rendering reports it."""
    Outcomes(monkeypatch)
    assert comparable(_in_parts(case, tmp_path / "out", 3)) == comparable(expected(case))


def _chains_spec(path: Path) -> dict[str, Any]:
    """Ten chains of six schemas, none referring to another chain, written to ``path``; the spec is returned."""
    spec = synthetic_spec(1)
    schemas = spec["components"]["schemas"]
    for group in range(10):
        for link in range(6):
            properties: dict[str, Any] = {"id": {"type": "string", "maxLength": 8}, "kind": {"enum": ["a", "b"]}}
            if link:
                properties["previous"] = {"$ref": f"#/components/schemas/Chain{group}Link{link - 1}"}
            schemas[f"Chain{group}Link{link}"] = {"type": "object", "properties": properties, "description": "A link."}
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return spec


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_every_fixture_laid_out_in_shares_is_its_golden_tree(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine run once, its modules laid out, formatted and read by two processes (``render._lay_out``)."""
    shared: list[int] = []
    finish = render._finish

    def recorded(composed: dict[str, Composed], file: Any) -> Any:
        shared.append(len(composed))  # the share of this process (the other one records in its own)
        return finish(composed, file)

    monkeypatch.setattr(render, "_finish", recorded)
    monkeypatch.setattr(render, "MIN_MODULES_TO_SHARE", 1)
    assert comparable(_in_parts(case, tmp_path / "out", 2)) == comparable(expected(case))
    if not (GOLDEN / case.name / ERROR_FILE).exists():
        assert shared, "the modules were not shared"


@pytest.mark.parametrize("bad", ["a", "b"])
def test_refused_engine_output_in_any_share_is_refused(bad: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Modules shared between two processes: a module the audit refuses fails the command whichever process laid
    it out (the second one's failure makes this one lay out everything, and refuse it itself)."""
    from generator.normalise import Plan

    header = "from __future__ import annotations\n\nfrom pydantic import BaseModel\n\n\n"
    modules = {name: f"{header}class {name.upper()}(BaseModel):\n    value: str\n" for name in ("a", "b")}
    modules[bad] = modules[bad].replace("\n\n\n", "\n\nimport os\n\n\n", 1)  # an import the audit refuses
    monkeypatch.setattr(render, "_run_engine", lambda *args: modules)
    monkeypatch.setattr(render, "MIN_MODULES_TO_SHARE", 1)
    engine_input = {"components": {"schemas": {"A": {"type": "object"}, "B": {"type": "object"}}}}
    with pytest.raises(CodegenError, match="refusing to write it"):
        render.render_package(engine_input, Plan(title="T", description=None), "spec", "spec", jobs=2)


def test_a_spec_of_independent_schemas_is_merged_from_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts are really rendered apart and merged (not a fallback), and the result is one rendering's."""
    path = tmp_path / "spec.yaml"
    _chains_spec(path)
    argv = ["generate", "--spec", path, "--no-overlay", "--package", "models"]
    assert run_cli(*argv, "--out", tmp_path / "one", "--jobs", "1").status == 0
    outcomes = Outcomes(monkeypatch)
    assert run_cli(*argv, "--out", tmp_path / "parts", "--jobs", "3").status == 0
    assert outcomes.parts == [3] and outcomes.merged == [True]
    one, parts = snapshot(tmp_path / "one"), snapshot(tmp_path / "parts")
    del one[".codegen-manifest.json"], parts[".codegen-manifest.json"]  # they name their own folders
    assert one == parts


def test_a_regeneration_in_parts_is_a_full_generation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two chains changed: the schemas rendered again span two parts, each formatting and reading its own modules
    (the package's other modules kept); the package, its reference page included, is a full generation's."""
    path = tmp_path / "spec.yaml"
    spec = _chains_spec(path)
    argv = ["generate", "--spec", path, "--no-overlay", "--package", "models", "--jobs", "2"]
    outcomes = Outcomes(monkeypatch)
    assert run_cli(*argv, "--out", tmp_path / "kept").status == 0
    for group in (2, 7):
        link = spec["components"]["schemas"][f"Chain{group}Link0"]
        link["properties"]["added"] = {"type": "string", "pattern": "^[a-z]+$", "description": "Added."}
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    outcomes.parts.clear(), outcomes.merged.clear()
    again = run_cli(*argv, "--out", tmp_path / "kept")
    assert again.status == 0 and "kept" in again.stdout
    assert outcomes.parts == [2] and outcomes.merged == [True]
    assert run_cli(*argv, "--out", tmp_path / "full", "--jobs", "1").status == 0
    kept, full = snapshot(tmp_path / "kept"), snapshot(tmp_path / "full")
    del kept[".codegen-manifest.json"], full[".codegen-manifest.json"]  # they name their own folders
    assert kept == full
    assert "Added." in (tmp_path / "kept/REFERENCE.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("broken", ["merge", "child"])
def test_parts_that_cannot_be_merged_fall_back_to_one_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    Outcomes(monkeypatch)
    if broken == "merge":
        monkeypatch.setattr(render, "merge_parts", lambda rendered: None)
    else:
        monkeypatch.setattr(render, "run_side_by_side", lambda tasks: None)
    case = next(c for c in cases() if c.name == "construct_discriminator_31")
    assert comparable(_in_parts(case, tmp_path / "out", 2)) == comparable(expected(case))


# --- partition --------------------------------------------------------------------------------------------------


def _graph(schemas: dict[str, Any]) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    scanned = scan_schemas(schemas)
    assert scanned is not None
    return scanned.edges, scanned.sizes


def test_parts_are_closed_cover_everything_and_are_balanced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "MIN_PART_SIZE", 1)
    schemas = {f"S{i}": {"type": "object", "properties": {"a": {"type": "string"}}} for i in range(8)}
    schemas["S1"]["properties"]["b"] = {"$ref": "#/components/schemas/S0"}
    edges, sizes = _graph(schemas)
    parts = partition(edges, sizes, schemas, 2)
    assert len(parts) == 2
    assert frozenset().union(*parts) == frozenset(schemas)
    assert all(closure(edges, part) == part for part in parts)
    assert {len(p) for p in parts} == {4, 5} or {len(p) for p in parts} == {4}
    assert parts == partition(edges, sizes, schemas, 2)  # deterministic


def test_a_small_spec_is_one_part() -> None:
    schemas = {f"S{i}": {"type": "string"} for i in range(50)}
    edges, sizes = _graph(schemas)
    assert partition(edges, sizes, schemas, 8) == [frozenset(schemas)]
    assert partition(edges, sizes, [], 8) == []


def test_a_part_too_small_to_be_worth_a_process_joins_another() -> None:
    # One long chain (each schema refers to the one before) and one schema beside it: the chain is one closure,
    # so the only other part would be that one schema, rendered in a process of its own.
    schemas: dict[str, Any] = {"Alone": {"type": "object", "properties": {"a": {"type": "string"}}}}
    for i in range(3 * split.MIN_PART_SIZE // 4):
        schemas[f"C{i}"] = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}
        if i:
            schemas[f"C{i}"]["properties"]["prev"] = {"$ref": f"#/components/schemas/C{i - 1}"}
    edges, sizes = _graph(schemas)
    assert sum(sizes.values()) >= 2 * split.MIN_PART_SIZE  # worth two parts by size alone
    assert partition(edges, sizes, schemas, 2) == [frozenset(schemas)]


def _partition_from_every_closure(
    graph: dict[str, frozenset[str]], sizes: dict[str, int], names: list[str], parts: int
) -> list[frozenset[str]]:
    """The partition computed from the closure of every schema, as `partition` did before it computed only the
    closures that can place anything: the same parts are expected."""
    everything = closure(graph, names)
    count = max(1, min(parts, sum(sizes.get(n, 1) for n in everything) // split.MIN_PART_SIZE))
    closures = {name: closure(graph, [name]) for name in everything}
    weight = {name: sum(sizes.get(n, 1) for n in closed) for name, closed in closures.items()}
    held: list[set[str]] = [set() for _ in range(count)]
    loads = [0] * count
    for name in sorted(everything, key=lambda n: (-weight[n], n)):
        closed = closures[name]
        if any(closed <= part for part in held):
            continue
        added = [sum(sizes.get(n, 1) for n in closed - part) for part in held]
        best = min(range(count), key=lambda i: (loads[i] + added[i], i))
        held[best] |= closed
        loads[best] += added[best]
    return [frozenset(part) for part in held if part]


@pytest.mark.parametrize("seed", range(40))
def test_placing_only_the_top_closures_gives_the_parts_every_closure_gives(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(split, "MIN_PART_SIZE", 1)
    rng = random.Random(seed)
    names = [f"S{i}" for i in range(rng.randint(1, 30))]
    graph = {n: frozenset(rng.sample(names, rng.randint(0, min(3, len(names))))) for n in names}  # cycles too
    sizes = {n: rng.randint(1, 20) for n in names}
    for parts in (2, 3):
        assert partition(graph, sizes, names, parts) == _partition_from_every_closure(graph, sizes, names, parts)


# --- merge ------------------------------------------------------------------------------------------------------


def _module(classes: tuple[str, ...], text: str = "", imports: frozenset[str] = frozenset()) -> Composed:
    return Composed(text or f"class {classes[0]}: ...\n", classes, imports, (), False)


def test_merge_takes_each_module_once() -> None:
    a = {"a": _module(("A",)), "c": _module(("C",))}
    b = {"b": _module(("B",)), "c": _module(("C",))}
    merged = merge_parts([(frozenset({"A", "C"}), a), (frozenset({"B", "C"}), b)])
    assert merged is not None
    assert list(merged[0]) == ["a", "b", "c"] and merged[1] == {"a": "A", "b": "B", "c": "C"}


def test_merge_refuses_what_one_rendering_could_differ_from() -> None:
    item_a = _module(("Item",))
    one = (frozenset({"A"}), {"a": _module(("A",), imports=frozenset({"item"})), "item": item_a})
    # Two parts each naming a different inline class `Item` (one rendering would number one of them), even when
    # the two classes read the same.
    other = (frozenset({"B"}), {"b": _module(("B",), imports=frozenset({"item"})), "item": item_a})
    assert merge_parts([one, other]) is None
    # One class in two modules.
    assert merge_parts([(frozenset({"A"}), {"a": _module(("A",))}), (frozenset({"B"}), {"b": _module(("A",))})]) is None
    # A module that comes out differently from two parts.
    changed = {"a": _module(("A",), "class A: x: int\n")}
    assert merge_parts([(frozenset({"A"}), {"a": _module(("A",))}), (frozenset({"A"}), changed)]) is None
    # A module of several schemas (an import cycle's `_internal`).
    internal = {"_internal": _module(("A", "B")), "a": _module(("A",)), "b": _module(("B",))}
    assert merge_parts([(frozenset({"A", "B"}), internal)]) is None


# --- workers ----------------------------------------------------------------------------------------------------


def test_tasks_run_in_other_processes_and_come_back_in_order() -> None:
    results = run_side_by_side([os.getpid, os.getpid, lambda: "third"])
    assert results is not None
    assert results[0] == os.getpid() and results[1] != os.getpid() and results[2] == "third"


def _fail() -> None:
    raise CodegenError("spec.yaml", "cannot render")


def test_a_failing_child_fails_the_call() -> None:
    assert run_side_by_side([lambda: 1, _fail]) is None
    assert run_side_by_side([lambda: 1, lambda: os._exit(3)]) is None
    assert run_side_by_side([lambda: 1, lambda: lambda: None]) is None  # a result that cannot be sent


def test_children_are_stopped_when_the_call_is_interrupted(tmp_path: Path) -> None:
    marker = tmp_path / "pids"

    def slow() -> None:
        marker.write_text(str(os.getpid()))
        time.sleep(60)

    started = time.monotonic()
    with pytest.raises(CodegenError, match="exceeded the time budget"), time_budget(1, "spec.yaml"):
        run_side_by_side([lambda: None, slow])
    assert time.monotonic() - started < 20
    with pytest.raises(ProcessLookupError):
        os.kill(int(marker.read_text()), 0)


def _warning_then_pid() -> int:
    first = CodegenWarning("spec.yaml", "needs a backtracking engine", "/components/schemas/A/pattern")
    warnings.warn(first, stacklevel=1)
    warnings.warn(CodegenWarning("spec.yaml", "second"), stacklevel=1)
    return os.getpid()


def test_a_task_beside_runs_in_another_process_and_its_warnings_are_issued_here_in_order() -> None:
    meanwhile: list[int] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pid = run_beside(_warning_then_pid, lambda: meanwhile.append(os.getpid()))
    assert pid is not None and pid != os.getpid() and meanwhile == [os.getpid()]
    assert [type(w.message) for w in caught] == [CodegenWarning, CodegenWarning]
    assert [str(w.message) for w in caught] == [
        "spec.yaml at /components/schemas/A/pattern: needs a backtracking engine",
        "spec.yaml: second",
    ]


def test_a_task_beside_that_fails_in_any_way_gives_none_and_issues_nothing() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert run_beside(_fail, lambda: None) is None
        assert run_beside(lambda: os._exit(3), lambda: None) is None
        assert run_beside(lambda: lambda: None, lambda: None) is None  # a result that cannot be sent
        warnings.simplefilter("error", CodegenWarning)  # as `--strict-regex` does: the warning fails the task
        assert run_beside(_warning_then_pid, lambda: None) is None
    assert caught == []


def test_the_task_beside_is_stopped_when_this_process_fails_meanwhile(tmp_path: Path) -> None:
    marker = tmp_path / "pid"

    def slow() -> None:
        marker.write_text(str(os.getpid()))
        time.sleep(60)

    def meanwhile() -> None:
        while not marker.exists() or not marker.read_text():
            time.sleep(0.01)
        raise ValueError("interrupted")

    with pytest.raises(ValueError, match="interrupted"):
        run_beside(slow, meanwhile)
    with pytest.raises(ProcessLookupError):
        os.kill(int(marker.read_text()), 0)


@pytest.mark.skipif(usable_cores() < 2, reason="the inputs are read beside the engine only with a second core")
def test_the_inputs_read_beside_the_engine_are_the_inputs_read_here() -> None:
    """What `generate` reads in the second process (Workflows spec, overlay, the name lock of generated/) is what it
    would read itself."""
    specs = ROOT / "specs"
    spec, overlay = specs / "workflows.yaml", specs / "workflows.overlay.yaml"
    options = GenerateOptions(spec=spec, overlay=overlay, out=ROOT / "generated")
    beside = pipeline._read_beside_the_engine(options, reuse=True)
    here = pipeline._read_inputs(options, reuse=True, keep_effective=False)
    assert beside is not None and beside == here
    assert beside.engine_input["components"]["schemas"] and beside.plan.patterns


@pytest.mark.skipif(usable_cores() < 2, reason="the inputs are read beside the engine only with a second core")
def test_the_inputs_are_read_here_when_they_are_the_ones_the_last_generate_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Then every module is most likely kept and the engine does not run: importing it beside would only cost."""
    spec, out = tmp_path / "spec.json", tmp_path / "out"
    spec.write_text(json.dumps(synthetic_spec(10)), encoding="utf-8")
    args = ("generate", "--spec", spec, "--no-overlay", "--out", out)
    assert run_cli(*args).status == 0
    beside: list[object] = []
    real = pipeline.run_beside

    def recorded(*given: Any) -> Any:
        beside.append(given)
        return real(*given)

    monkeypatch.setattr(pipeline, "run_beside", recorded)
    assert run_cli(*args).status == 0
    assert beside == []
    spec.write_text(json.dumps(synthetic_spec(10, variant=" Changed")), encoding="utf-8")
    assert run_cli(*args).status == 0
    assert len(beside) == 1
