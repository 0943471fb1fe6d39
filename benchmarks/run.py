"""`make bench`: nexthink-codegen measured side by side with what a user would otherwise run.

Every comparison runs both sides in this one process, alternating them (A B, then B A, ...) so that a busy machine
slows both alike, and reports medians and the ratio ours / theirs. Writes benchmarks/README.md (machine, tables,
plot). Not a test: nothing here passes or fails; the README says which goals are met.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stages import github_spec, one_schema_changes
from stages import markdown as profile_markdown
from stages import run as profile_run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.manifest import CACHE_ENV  # noqa: E402

HERE = ROOT / "benchmarks"
PYTHON = sys.executable
RAW = [
    str(Path(PYTHON).parent / "datamodel-codegen"),
    "--input-file-type",
    "openapi",
    "--output-model-type",
    "pydantic_v2.BaseModel",
    "--formatters",
    "builtin",
    "--disable-timestamp",
]
OURS = [PYTHON, "-m", "generator"]
ENGINE_ALONE = [PYTHON, str(HERE / "engine_alone.py")]
SIZES = {10: 5, 100: 3, 1000: 2, 3000: 1}  # schema count: runs per side
OCTOKIT = "@octokit/openapi"
GOAL_TIME = 1.0  # generate / raw datamodel-codegen, #13
GOAL_MEMORY = 1.2
GOAL_CHECK = 0.3


def _tree_pss_kib(root: int) -> int:
    """The proportional set size (KiB) of a process and all its descendants, from /proc: the memory they hold
    together, pages they share counted once (a forked child shares its parent's pages until either writes them)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(parents.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                for line in rollup:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


SAMPLE_SECONDS = 0.05
"""How often the memory of a measured command's process tree is sampled."""


def run_measured(
    command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, *, sample: bool = True
) -> tuple[float, int]:
    """Wall time (s) and peak memory (KiB) of one command. With ``sample``, the peak is the largest sum, over
    samples every 50 ms, of the proportional set sizes of its process and all their descendants (worker processes
    and the formatter count), or the kernel's peak resident size of the single largest process when that is
    larger; without, only the latter, and nothing runs beside the command (a sample of a large process tree
    takes a core for tens of milliseconds: it slows a command that uses every core, so timed runs go unsampled,
    ``alternate``). The file system is flushed first (untimed): what an earlier command wrote or deleted
    (thousands of files) would otherwise be paid for by whichever command runs next, either side."""
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak, done = [0], threading.Event()

    def sample_tree() -> None:
        while not done.wait(SAMPLE_SECONDS):
            peak[0] = max(peak[0], _tree_pss_kib(process.pid))

    sampler = threading.Thread(target=sample_tree, daemon=True)
    if sample:
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    done.set()
    if sample:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"{' '.join(command[:4])}... failed ({process.returncode}): {stderr.strip()[-300:]}")
    if process.stderr:
        process.stderr.close()
    return elapsed, max(peak[0], usage.ru_maxrss)


Side = Callable[..., tuple[float, int]]
"""One command of a comparison: called with ``sample=`` (``run_measured``'s), it runs once and returns its wall
time (s) and peak memory (KiB)."""


def alternate(
    ours: Side, theirs: Side, runs: int, *, warm_up: bool = True, floor: Side | None = None
) -> dict[str, Any]:
    """Run both sides ``runs`` times each, taking turns at going first; the median of their times, and the peak
    memory of one more run of each, sampled (``run_measured``: the sampler would slow the timed runs, most of all
    a command that uses every core). With ``warm_up``, each side runs once untimed first, so that every timed run
    writes into the output folder its own last run wrote, as a user regenerating does (and a first run's one-off
    costs, such as the first read of the engine's files, are paid by neither side). ``floor``, when given, is a
    third side measured in the same turns (the engine call alone: ``engine_side``), reported as ``floor_*`` and
    its ratios against ``theirs``."""
    sides = {"ours": ours, "theirs": theirs, **({"floor": floor} if floor is not None else {})}
    if warm_up:
        for call in sides.values():
            call(sample=False)
    times: dict[str, list[float]] = {name: [] for name in sides}
    order = list(sides.items())
    for index in range(runs):
        for name, call in order[index % len(order) :] + order[: index % len(order)]:
            times[name].append(call(sample=False)[0])
    result: dict[str, Any] = {"runs": runs}
    for name, call in order:
        result[f"{name}_s"] = statistics.median(times[name])
        result[f"{name}_kib"] = call(sample=True)[1]
    result["time_ratio"] = result["ours_s"] / result["theirs_s"]
    result["memory_ratio"] = result["ours_kib"] / result["theirs_kib"]
    if floor is not None:
        result["floor_time_ratio"] = result["floor_s"] / result["theirs_s"]
        result["floor_memory_ratio"] = result["floor_kib"] / result["theirs_kib"]
    return result


def engine_side(spec: Path, overlay: Path | None, work: Path) -> Side:
    """The engine call alone on ``spec`` as `generate` makes it (``benchmarks/engine_alone.py``): its input is
    read, normalised and pickled here, untimed; each timed run is a fresh interpreter that imports the engine and
    calls it once, on one core, and writes nothing."""
    work.mkdir(parents=True, exist_ok=True)
    pickled = work / "engine-input.pickle"
    subprocess.run([*ENGINE_ALONE, "prepare", str(spec), str(overlay or "-"), str(pickled)], check=True)
    return lambda sample: run_measured([*ENGINE_ALONE, "run", str(pickled)], sample=sample)


def generate_pair(
    spec: Path, work: Path, *, overlay: bool, jobs: int | None = None, empty: bool = False
) -> tuple[Side, Side]:
    """Both sides' full generation of ``spec`` (ours with an empty local cache: nothing kept from an earlier run),
    each into its output folder under ``work``; with ``empty``, that folder is removed (untimed) before each run."""
    ours_args = [*OURS, "generate", "--spec", str(spec), "--out", str(work / "ours"), "--package", "models"]
    ours_args += [] if overlay else ["--no-overlay"]
    ours_args += [] if jobs is None else ["--jobs", str(jobs)]
    raw_args = [*RAW, "--input", str(spec), "--output", str(work / "raw")]

    def run(args: list[str], out: Path, sample: bool, env: dict[str, str] | None = None) -> tuple[float, int]:
        if empty:
            shutil.rmtree(out, ignore_errors=True)
        return run_measured(args, env=env, sample=sample)

    return (
        lambda sample: run(ours_args, work / "ours", sample, cold(work)),
        lambda sample: run(raw_args, work / "raw", sample),
    )


def cold(work: Path) -> dict[str, str]:
    """The environment of a `generate` that renders everything: a new, empty local cache, so that no record of an
    earlier run into the same folder lets it keep modules (that is the regeneration measured apart)."""
    work.mkdir(parents=True, exist_ok=True)
    return {**os.environ, CACHE_ENV: tempfile.mkdtemp(prefix="cache-", dir=work)}


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def bench_regenerate(work: Path, spec_path: Path, runs: tuple[int, ...] = (3, 1)) -> list[dict[str, Any]]:
    """`generate` after a one-schema change into the folder the last `generate` wrote (modules the change cannot
    affect kept: ``generator.reuse``) against raw datamodel-codegen's full run on the changed spec; and whether
    the result is byte for byte what a full generation writes into the same folder."""
    base, cache = work / "regen" / "base" / "out", work / "regen" / "base-cache"
    run_measured(
        [*OURS, "generate", "--spec", str(spec_path), "--no-overlay", "--out", str(base), "--package", "models"],
        env={**os.environ, CACHE_ENV: str(cache)},
    )
    original = json.loads(spec_path.read_text(encoding="utf-8"))
    rows = []
    for (label, name), count in zip(one_schema_changes(original), runs, strict=True):
        changed = json.loads(json.dumps(original))
        changed["components"]["schemas"][name]["properties"]["added_by_the_benchmark"] = {"type": "string"}
        spec = work / "regen" / "spec" / spec_path.name  # the same file name: it is in every module's header
        spec.parent.mkdir(parents=True, exist_ok=True)
        spec.write_text(json.dumps(changed), encoding="utf-8")
        args = ["generate", "--spec", str(spec), "--no-overlay", "--package", "models", "--out"]

        def ours(
            sample: bool, target: Path = work / "regen" / "kept" / "out", args: list[str] = args
        ) -> tuple[float, int]:
            # The folder and the local cache as the last `generate` left them (restored untimed before each run),
            # and on disk as it leaves them: it flushes every file it writes, a fresh copy's data is still in memory.
            for source, copy in ((base, target), (cache, work / "regen" / "kept-cache")):
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(source, copy)
            os.sync()
            return run_measured(
                [*OURS, *args, str(target)],
                env={**os.environ, CACHE_ENV: str(work / "regen" / "kept-cache")},
                sample=sample,
            )

        raw_args = [*RAW, "--input", str(spec), "--output", str(work / "regen" / "raw")]
        row = {
            "change": label,
            **alternate(
                ours, lambda sample, raw_args=raw_args: run_measured(raw_args, sample=sample), count, warm_up=False
            ),
        }
        full = work / "regen" / "full" / "out"
        shutil.rmtree(full, ignore_errors=True)
        shutil.copytree(base, full)
        row["full_s"] = run_measured([*OURS, *args, str(full)], env=cold(work / "regen"), sample=False)[0]
        row["identical"] = _tree_digest(work / "regen" / "kept" / "out") == _tree_digest(full)
        rows.append(row)
        print(f"  {label}: {row['time_ratio']:.2f}x raw, identical to a full generation: {row['identical']}")
    return rows


def bench_generate(work: Path) -> dict[str, Any]:
    spec, overlay = ROOT / "specs/workflows.yaml", ROOT / "specs/workflows.overlay.yaml"
    ours, theirs = generate_pair(spec, work / "generate", overlay=True)
    return alternate(ours, theirs, 9, floor=engine_side(spec, overlay, work / "generate"))


def bench_check(work: Path) -> dict[str, Any]:
    """`check` on an up-to-date tree against the raw generation a user would re-run to see if anything changed."""
    _, theirs = generate_pair(ROOT / "specs/workflows.yaml", work / "check", overlay=True)
    run_measured([*OURS, "generate"])  # make sure generated/ and its manifest are current
    return alternate(lambda sample: run_measured([*OURS, "check"], sample=sample), theirs, 9)


def octokit_spec() -> Path | None:
    """GitHub's REST API description: the copy pinned (version and sha512 integrity) by tests/corpus/pins.toml,
    fetched and verified into .corpus-cache/ by the corpus fetcher (never committed); None without npm."""
    return github_spec()


def bench_scale(work: Path, sizes: dict[int, int], *, github: bool = True) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from tests.synthetic import synthetic_spec

    rows = []
    for count, runs in sizes.items():
        spec = work / f"synthetic-{count}.json"
        spec.write_text(json.dumps(synthetic_spec(count)))
        ours, theirs = generate_pair(spec, work / f"scale-{count}", overlay=False)
        floor = engine_side(spec, None, work / f"scale-{count}")
        row = {"input": f"synthetic, {count} schemas", "schemas": count, **alternate(ours, theirs, runs, floor=floor)}
        rows.append(row)
        print(f"  {rows[-1]['input']}: time {rows[-1]['time_ratio']:.2f}x, memory {rows[-1]['memory_ratio']:.2f}x")
    spec_path = octokit_spec() if github else None
    if spec_path is not None:
        schemas = len(json.loads(spec_path.read_text())["components"]["schemas"])
        # As users run it (every core: a spec this size is rendered in parts side by side), then on one core; then
        # the first generation into an empty folder (7,255 files created and flushed, where raw writes one).
        for jobs, empty, label in (
            (None, False, ""),
            (1, False, ", one core (`--jobs 1`)"),
            (None, True, ", first generation into an empty folder"),
        ):
            ours, theirs = generate_pair(spec_path, work / "github", overlay=False, jobs=jobs, empty=empty)
            name = f"GitHub REST API ({OCTOKIT}), {schemas} schemas{label}"
            row: dict[str, Any] = {"input": name, "schemas": schemas}
            if jobs is not None:
                row["jobs"] = jobs
            if empty:
                row["empty"] = True
            # The engine alone runs on one core: it is measured beside the one-core row.
            floor = engine_side(spec_path, None, work / "github") if jobs == 1 else None
            try:
                rows.append({**row, **alternate(ours, theirs, 1, warm_up=not empty, floor=floor)})
            except RuntimeError as error:
                rows.append({**row, "error": str(error)})
    return rows


def _payloads() -> dict[str, str]:
    uuids = [f"{i:08x}-0000-4000-8000-{i:012x}" for i in range(10_000)]
    v1 = {"workflowId": "#workflow", "devices": uuids, "users": []}
    v2 = {"workflowId": "#workflow", "devices": [{"collectorUid": u} for u in uuids], "users": []}
    return {"v1": json.dumps(v1), "v2": json.dumps(v2)}


def _time_round_trip(model: Any, payload: str, rounds: int = 3) -> float:
    best = []
    for _ in range(rounds):
        started = time.perf_counter()
        model.model_validate_json(payload).model_dump_json()
        best.append(time.perf_counter() - started)
    return min(best)


def bench_validation(work: Path) -> list[dict[str, Any]]:
    raw_dir = work / "raw_workflows"
    run_measured([*RAW, "--input", str(ROOT / "specs/workflows.yaml"), "--output", str(raw_dir)])
    sys.path[:0] = [str(ROOT / "generated"), str(work), str(ROOT)]
    generated = import_module("nexthink_workflows")
    handwritten = import_module("benchmarks.handwritten")
    raw = import_module("raw_workflows")
    sides = {
        "v1": {
            "generated": generated.NxtWorkflowExecutionRequest,
            "handwritten": handwritten.ExecutionRequest,
            "raw": raw.ExecutionRequest,
        },
        "v2": {
            "generated": generated.NxtWorkflowExternalIdsExecutionRequest,
            "handwritten": handwritten.ExternalIdsExecutionRequest,
            "raw": raw.ExternalIdsExecutionRequest,
        },
    }
    rows = []
    for name, payload in _payloads().items():
        samples: dict[str, list[float]] = {side: [] for side in sides[name]}
        for index in range(15):
            order = list(sides[name].items())
            for side, model in order if index % 2 == 0 else reversed(order):
                samples[side].append(_time_round_trip(model, payload))
        medians = {side: statistics.median(values) for side, values in samples.items()}
        rows.append(
            {
                "payload": name,
                **{f"{k}_ms": v * 1000 for k, v in medians.items()},
                "vs_handwritten": medians["generated"] / medians["handwritten"],
                "raw_vs_handwritten": medians["raw"] / medians["handwritten"],
                "generated_vs_raw": medians["generated"] / medians["raw"],
            }
        )
        print(
            f"  {name}: generated/handwritten {rows[-1]['vs_handwritten']:.2f}x, "
            f"raw/handwritten {rows[-1]['raw_vs_handwritten']:.2f}x"
        )
    return rows


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "unknown",
    )
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "datamodel-code-generator": metadata.version("datamodel-code-generator"),
        "pydantic": metadata.version("pydantic"),
        "date": time.strftime("%Y-%m-%d"),
    }


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    synthetic = [r for r in rows if "error" not in r and r["input"].startswith("synthetic")]
    figure, axis = plt.subplots(figsize=(7, 4.5))
    counts = [r["schemas"] for r in synthetic]
    axis.plot(counts, [r["ours_s"] for r in synthetic], "o-", label="nexthink-codegen generate")
    axis.plot(counts, [r["theirs_s"] for r in synthetic], "s--", label="datamodel-codegen (raw CLI)")
    for row in rows:
        if "error" not in row and not row["input"].startswith("synthetic"):
            axis.plot([row["schemas"]], [row["ours_s"]], "o", color="C0")
            axis.plot([row["schemas"]], [row["theirs_s"]], "s", color="C1")
            label = (
                "GitHub, one core" if row.get("jobs") == 1 else "GitHub, empty folder" if row.get("empty") else "GitHub"
            )
            axis.annotate(label, (row["schemas"], row["ours_s"]))
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("component schemas")
    axis.set_ylabel("wall time (s, median)")
    axis.set_title("Generation time against schema count")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110, metadata={"Software": None})


def _goal(value: float, goal: float) -> str:
    # Three decimals where two would round a miss onto the goal (0.255x against 0.25x).
    shown = f"{value:.3f}" if f"{value:.2f}" == f"{goal:.2f}" and value != goal else f"{value:.2f}"
    return f"{shown}x (goal ≤ {goal}x: {'met' if value <= goal else 'missed'})"


def growth(rows: list[dict[str, Any]]) -> list[str]:
    """How time grows with the schema count, between consecutive synthetic sizes (1.0 per 1x is linear)."""
    synthetic = [r for r in rows if "error" not in r and r["input"].startswith("synthetic")]
    steps = []
    for before, after in itertools.pairwise(synthetic):
        factor = after["schemas"] / before["schemas"]
        ours, theirs = after["ours_s"] / before["ours_s"], after["theirs_s"] / before["theirs_s"]
        steps.append(
            f"{before['schemas']:,} → {after['schemas']:,} schemas ({factor:.0f}x): ours {ours:.1f}x the time, "
            f"raw {theirs:.1f}x"
        )
    return ["- Growth: " + "; ".join(steps) + "."] if steps else []


def _stage(rows: list[dict[str, Any]], label: str) -> float:
    return sum(row["s"] for row in rows if row["stage"] == label)


def profile_summary(profile: dict[str, Any]) -> list[str]:
    """One line per profiled input: the engine's share of the in-process time, the project's stages' share, and
    the project's three most expensive stages, all read from the profile."""
    lines = []
    ours = (
        "normalise",
        "compose modules",
        "format (one ruff run)",
        "distribution files + REFERENCE.md",
        "effective spec",
        "write tree",
        "manifest",
    )
    for name, result in profile.items():
        rows = result["stages"]
        in_process = _stage(rows, "generate (in-process)")
        # A partial rendering calls the engine from under its own stage (listed as a sub-step there).
        engine = _stage(rows, "engine (datamodel-codegen)") or _stage(rows, "render._run_engine")
        if not in_process:
            continue
        top = sorted(((_stage(rows, label), label) for label in ours), reverse=True)[:3]
        shown = ", ".join(f"{label} {spent / in_process:.0%}" for spent, label in top)
        lines.append(
            f"- {name}: the engine takes {engine / in_process:.0%} of the in-process time, the project's own stages "
            f"{(in_process - engine) / in_process:.0%} (most: {shown}); start-up before the command runs is "
            f"{_stage(rows, 'start-up (interpreter, imports before the command runs)') / result['wall_s']:.0%} of "
            "the run."
        )
    return lines


def _floors(results: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The measurements that ran the engine alone beside both CLIs (``alternate``'s ``floor``), by input."""
    timed = [("Workflows spec (with the overlay)", results["generate"])]
    timed += [(row["input"], row) for row in results["scale"] if "error" not in row]
    return [(name, row) for name, row in timed if "floor_s" in row]


def floor_table(results: dict[str, Any]) -> list[str]:
    """The engine call alone against raw datamodel-codegen's whole run, measured side by side with `generate`."""
    floors = _floors(results)
    if not floors:
        return []
    lines = [
        "## The engine alone (the floor)",
        "",
        "The engine's call as `generate` makes it (`benchmarks/engine_alone.py`): a fresh interpreter imports the",
        "engine and calls it once with the project's templates and settings (one module per class, field macros,",
        "validators) on the engine input `generate` builds, read and pickled beforehand, untimed; it then ends, having",
        "written nothing. It ran in the same turns as the two commands of the rows above, so its ratio is against the",
        "same raw runs. It is the floor of any `generate` that runs the engine once over the whole spec on one core:",
        "reading, normalising, laying out, formatting and writing come on top, unless another core takes them.",
        "",
        "| input | engine alone (s) | `generate` (s) | raw (s) | engine alone / raw | engine alone peak (MiB) | "
        "raw peak (MiB) | memory ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in floors:
        lines.append(
            f"| {name} | {row['floor_s']:.2f} | {row['ours_s']:.2f} | {row['theirs_s']:.2f} | "
            f"{row['floor_time_ratio']:.2f}x | {row['floor_kib'] / 1024:.0f} | {row['theirs_kib'] / 1024:.0f} | "
            f"{row['floor_memory_ratio']:.2f}x |"
        )
    return [*lines, ""]


def why_missed(results: dict[str, Any]) -> list[str]:
    """Where the engine alone is already above a goal of #13, from this run's measured floors."""
    floors = _floors(results)
    if not floors:
        return []
    slow = [f"{name} {row['floor_time_ratio']:.2f}x" for name, row in floors if row["floor_time_ratio"] > GOAL_TIME]
    heavy = [
        f"{name} {row['floor_memory_ratio']:.2f}x" for name, row in floors if row["floor_memory_ratio"] > GOAL_MEMORY
    ]
    lines = []
    if slow:
        lines += [
            "- **Where the time goal is out of reach of the project's own code:** the engine alone, on one core,",
            f"  took longer than raw datamodel-codegen's whole run on {len(slow)} of {len(floors)} inputs measured",
            f"  ({'; '.join(slow)}; the table above). Even with every stage of the project's own at zero, `generate`",
            "  would stay above the goal there, unless the spec splits into parts the cores can render side by side",
            "  (GitHub's does; the synthetic chains do not). Lowering the floor itself means cheaper templates or",
            "  engine settings, which change the output.",
        ]
    else:
        lines += [
            "- **Time goal:** the engine alone stays under the goal on every input measured, so what is above it is",
            "  the project's own stages, listed in the profile.",
        ]
    if heavy:
        lines += [
            f"- **Memory:** the engine alone already peaked above {GOAL_MEMORY}x raw on {'; '.join(heavy)}.",
        ]
    return lines


def goals(results: dict[str, Any]) -> list[str]:
    """Each target of #13, met or missed, from this run's numbers."""
    gen, check = results["generate"], results["check"]
    rows = [r for r in results["scale"] if "error" not in r and "jobs" not in r]  # as users run it
    scale = [r for r in rows if r["input"].startswith("synthetic") and r["schemas"] >= 100]
    github = [r for r in rows if r["input"].startswith("GitHub")]
    timed = [("Workflows spec", gen["time_ratio"])] + [(r["input"], r["time_ratio"]) for r in scale + github]
    missed = [f"{name} {ratio:.2f}x" for name, ratio in timed if ratio > GOAL_TIME]
    memory = [(r["input"], r["memory_ratio"]) for r in scale + github]
    heavy = [f"{name} {ratio:.2f}x" for name, ratio in memory if ratio > GOAL_MEMORY]
    lines = [
        f"- `generate` ≤ {GOAL_TIME}x raw datamodel-codegen (Workflows, synthetic 100-3,000 schemas, GitHub): "
        + ("met." if not missed else f"missed ({'; '.join(missed)})."),
        f"- Peak memory ≤ {GOAL_MEMORY}x: " + ("met." if not heavy else f"missed ({'; '.join(heavy)})."),
        f"- No-op `check` ≤ {GOAL_CHECK}x: {'met' if check['time_ratio'] <= GOAL_CHECK else 'missed'} "
        f"({check['time_ratio']:.2f}x).",
        *regeneration_goal(results.get("regenerate") or []),
    ]
    if not github:
        lines.append("- GitHub's spec was not measured in this run (`--quick`, or no npm).")
    return lines


GOAL_REGENERATE = 0.25


def regeneration_goal(rows: list[dict[str, Any]]) -> list[str]:
    """The regeneration target, judged on every change measured: met only when each of them meets it."""
    head = f"- Regenerating GitHub's spec after a one-schema change ≤ {GOAL_REGENERATE}x"
    if not rows:
        return [f"{head}: not measured in this run."]
    every = all(r["time_ratio"] <= GOAL_REGENERATE and r["identical"] for r in rows)
    shown = "; ".join(
        f"{r['change']}: {_goal(r['time_ratio'], GOAL_REGENERATE).split(' (')[0]}"
        + ("" if r["identical"] else ", NOT byte-identical to a full generation")
        for r in rows
    )
    return [f"{head}: {'met' if every else 'missed'} ({shown})."]


def regeneration_table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    lines = [
        "## Regeneration after a one-schema change (GitHub's REST spec)",
        "",
        "`generate` into the folder the last `generate` wrote (folder and local cache restored before each run, and",
        "flushed to disk as a `generate` leaves them),",
        "after one schema of the spec gained a property, against raw datamodel-codegen's full run on the changed",
        "spec; then one full `generate` of the same change into a copy of the same folder, with an empty local",
        "cache, compared with it file by file.",
        "",
        "| change | runs | ours (s) | raw (s) | ratio | ours peak (MiB) | raw peak (MiB) | full `generate` (s) | "
        "byte-identical to it |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['change']} | {r['runs']} | {r['ours_s']:.2f} | {r['theirs_s']:.2f} | "
            f"{_goal(r['time_ratio'], GOAL_REGENERATE)} | {r['ours_kib'] / 1024:.0f} | {r['theirs_kib'] / 1024:.0f} | "
            f"{r['full_s']:.2f} | {'yes' if r['identical'] else 'NO'} |"
        )
    return [*lines, ""]


def write_readme(results: dict[str, Any]) -> str:
    info, gen, check = results["machine"], results["generate"], results["check"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`benchmarks/run.py`); every number below comes from one run on the machine",
        "described here, both sides measured in that run, alternating, as medians. Ratios are ours / theirs:",
        "below 1 is faster than what a user would otherwise run. Each side runs once untimed before its timed runs,",
        "so that each timed `generate` writes into the output folder its own last run wrote, as a user regenerating",
        "does (ours with an empty local cache: nothing is kept from that run), except where a row says the folder",
        "is empty; the file system is flushed before every timed run, so that no command pays for the files an",
        "earlier one wrote or deleted.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## Generation and check on `specs/workflows.yaml`",
        "",
        "| measurement | ours (s) | raw datamodel-codegen CLI (s) | ratio |",
        "| --- | --- | --- | --- |",
        f"| `generate` (with the overlay) | {gen['ours_s']:.3f} | {gen['theirs_s']:.3f} | "
        f"{_goal(gen['time_ratio'], GOAL_TIME)} |",
        f"| `check`, nothing changed | {check['ours_s']:.3f} | {check['theirs_s']:.3f} | "
        f"{_goal(check['time_ratio'], GOAL_CHECK)} |",
        "",
        "## Scale",
        "",
        "| input | runs | ours (s) | raw (s) | time ratio | ours peak (MiB) | raw peak (MiB) | memory ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in results["scale"]:
        if "error" in row:
            lines.append(f"| {row['input']} | - | - | - | failed: {row['error'][:120]} | - | - | - |")
            continue
        lines.append(
            f"| {row['input']} | {row['runs']} | {row['ours_s']:.2f} | {row['theirs_s']:.2f} | "
            f"{_goal(row['time_ratio'], GOAL_TIME)} | {row['ours_kib'] / 1024:.0f} | {row['theirs_kib'] / 1024:.0f} | "
            f"{_goal(row['memory_ratio'], GOAL_MEMORY)} |"
        )
    lines += [
        "",
        "![time against schema count](scale.png)",
        "",
        *regeneration_table(results.get("regenerate") or []),
        "## Validation speed of the generated models",
        "",
        "Validating and dumping one request, JSON in and JSON out (`model_validate_json` + `model_dump_json`),",
        "best of 3 per sample, median of 15 alternating samples:",
        "",
        "| request | generated (ms) | hand-written (ms) | raw datamodel-codegen (ms) | generated / hand-written "
        "| raw / hand-written |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in results["validation"]:
        label = "v1, 10,000 device ids" if row["payload"] == "v1" else "v2, 10,000 device selectors"
        lines.append(
            f"| {label} | {row['generated_ms']:.2f} | {row['handwritten_ms']:.2f} | {row['raw_ms']:.2f} | "
            f"{_goal(row['vs_handwritten'], 1.1)} | {row['raw_vs_handwritten']:.2f}x |"
        )
    lines += [
        "",
        "## Where the time goes (profile)",
        "",
        "Written by `benchmarks/stages.py` in the same `make bench` run: one `generate` per input under cProfile,",
        "in a fresh interpreter; each stage's time is the cumulative time of its function as called from the stage",
        "above it, and its sub-steps are listed when they take 0.5% of the run or more. cProfile slows Python code",
        "down, so the seconds are larger than the wall times above; the shares are what to read.",
        "",
        *profile_summary(results.get("profile", {})),
        "",
        *profile_markdown(results.get("profile", {})),
        "## Goals of #13",
        "",
        *goals(results),
        "",
        *floor_table(results),
        "## Reading the results",
        "",
        *results["notes"],
        *why_missed(results),
        *growth(results["scale"]),
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench            # everything, a few minutes",
        "make bench-quick      # smaller sizes",
        "```",
        "",
        "GitHub's REST API description is the corpus's pinned copy (`tests/corpus/pins.toml`: `@octokit/openapi`",
        "at a fixed version, checked against its sha512 integrity), fetched by `tests/corpus/fetch.py` with",
        "`npm pack` into `.corpus-cache/` (ignored by git); without npm that row is skipped.",
        "",
    ]
    return "\n".join(lines)


NOTES = [
    "- **What the second round of #13 changed**: the engine formats nothing any more; one ruff",
    "  process (ruff 0.17.6, pinned: it decides the bytes) formats every module of the package at the end of",
    "  render package, with the settings the generated `pyproject.toml` declares. The engine's builtin formatter",
    "  was about 7% of the engine's time on 1,000 synthetic schemas (0.85 s of 9.3 s under cProfile) and laid out",
    "  long annotations unlike ruff; the ruff run costs about 0.3 s for 3,000 modules and 0.9 s for GitHub's 7,248.",
    "  Its scratch folder is RAM-backed where the system has one: creating thousands of small files in the",
    "  disk-backed `/tmp` of this shared machine took 1.7-2.2 s for 3,000 modules, 0.04 s in `/dev/shm`. Output",
    "  changed in layout only: two golden modules (now as `ruff format` writes them), and in GitHub's package 855",
    "  of 7,248 modules, each a class whose bases the builtin formatter had split one per line with a trailing",
    "  comma (`str,` / `Enum,`) and ruff keeps on one line. CPU time on 1,000 synthetic schemas (measured apart,",
    "  2026-11-29, same machine) fell",
    "  from 4.6-5.3 s to 4.0-4.1 s (raw datamodel-codegen: 2.5 s).",
    "- **What the third round cost:** the name lock (every schema's source pointer, and the engine's own class",
    "  names predicted so they can be recorded) and the checks of listed JSON values each add passes to normalise,",
    "  which went from 6% to about 11% of the profiled run on GitHub's spec (see the table above); caching the two",
    "  name functions those passes call most (`pascal_case`, `ascii_fold`) took back about an eighth of it. Each",
    "  pass walks every schema once: merging passes would cut normalise further, at most its share of the run.",
    "- **How memory is measured** (from the fifth round on): the largest sum, over samples every 50 ms, of the",
    "  proportional set sizes of the command's whole process tree (the engine's worker processes and the ruff",
    "  formatter included; pages a forked worker shares with its parent counted once), and never less than the",
    "  kernel's peak for the largest single process. Raw datamodel-codegen runs as one process. Earlier rounds",
    "  read the kernel's peak of the single largest process, which would no longer count the workers.",
    "- **Memory, a one-off measurement of 2026-11-29** (peak RSS, engine call alone in a fresh interpreter, fed",
    "  the engine input that `generate` builds; `make bench` now measures it in every run, the floor table): 347 MiB",
    "  on 3,000 synthetic schemas against raw datamodel-codegen's 283 MiB (1.23x), 743 MiB on GitHub's spec against",
    "  630 MiB (1.18x). The whole `generate` on one core peaks inside that engine call, 7-34 MiB above it (mostly the",
    "  effective spec and the normalised copy the engine reads). Dropping the effective spec while the engine runs",
    "  (kept as a 5 MiB pickle instead of a 28 MiB tree on GitHub's spec) was tried and left the peak where it was",
    "  (776 MiB both ways): the freed blocks were too fragmented for the engine to reuse, so it was not kept then;",
    "  the seventh round releases it outright (see below), which did lower the peak.",
    "- **What the fourth round changed:** (1) regeneration keeps the modules a spec change cannot affect",
    '  (`generator/reuse.py`, README "Regeneration keeps what a change cannot affect"): the engine runs only on',
    "  the schemas whose closure holds a changed one, and the result is checked against a full generation in this",
    "  run (the regeneration table) and on every golden fixture and corpus document (`make test`, `make",
    "  corpus-reuse`). (2) The effective spec and normalise take about half the time (GitHub's spec: 3.3 s to 1.5 s,",
    "  measured apart on 2026-11-30): JSON pointers are built only where an error or a name reads one, rewrites of",
    "  a schema's own keys share one walk, and the cycle collector is paused while documents are built. (3)",
    "  `write_tree` links the files the output folder already holds byte for byte instead of writing and flushing",
    "  them again (GitHub's 7,255 files over an identical tree: 1.2 s to 0.4 s), and reading the package for",
    "  REFERENCE.md takes half the time (1.1 s to 0.6 s).",
    "- **Where a regeneration's time went in the fourth round** (GitHub's spec, one schema nothing refers to",
    "  changed, timers around each stage, 2026-11-30): effective spec 0.65 s, normalise 0.95 s, the engine on the",
    "  one schema 0.27 s (almost all of it the engine's own imports, which the raw CLI pays too), checking and",
    "  reading the 7,245 kept modules 0.15 s, the distribution files and REFERENCE.md 0.7 s, writing 0.43 s,",
    "  start-up 0.25 s. A change to a schema many others refer to renders all of them again (the second row of the",
    "  regeneration table): a referring class's module is decided by what it refers to, and nothing short of",
    "  rendering it shows that it did not change.",
    "- **What the fifth round changed: the engine on every core.** A large spec is split into closed parts of",
    "  about equal size, one per core, each rendered in a forked process, and the parts are merged only when they",
    '  add up to one rendering (`generator/split.py`, README "A large spec uses every core"). GitHub\'s 2,131',
    "  engine-input schemas make parts of 1,104 and 1,188 schemas (161 in both). The GitHub rows of the scale table",
    "  show both ways, as users run it (every core) and on one core (`--jobs 1`); the profile runs on one core. The",
    "  synthetic specs cannot be split: each schema refers to the one before it, so one closure holds them all.",
    "  Pausing the cycle collector during the engine call was measured too (GitHub, engine alone, 2026-11-30):",
    "  19.5 s to 16.8 s, but 745 to 820 MiB, so it was not kept.",
    "- **The fifth round's other changes:** (1) each field of a model is declared by one macro call of",
    "  `templates/datamodel/field.jinja2` instead of five nested ones, and the engine's `keep_model_order`, which",
    "  only re-sorted one class per module, is off (output byte-identical on the golden files, GitHub's spec and",
    "  the corpus): template rendering on GitHub's spec went from 3.4 s to 1.1 s of the engine's time, measured apart",
    "  on 2026-11-30. (2) A regeneration keeps REFERENCE.md section by section (`generator/reference_page.py`): it",
    "  parses only the modules whose text changed, which took that stage from about 0.7 s to 0.12 s on GitHub's",
    "  spec. (3) A JSON spec that escapes emoji as surrogate pairs (`json.dumps` does) takes the fast input check.",
    "  One step was measured and not kept: flushing thousands of linked files by one `syncfs` of the file system",
    "  (0.75 s to 0.4 s in this benchmark) also flushes, and waits for, every other program's writes there.",
    "- **What the sixth round changed:** (1) defaults are judged without the JSON Schema validator where they",
    "  plainly fit (a string, boolean or number of an allowed type, a string enum holding it, length bounds, an",
    "  array whose items each fit): GitHub's 863 defaults each went through openapi-schema-validator, imported for",
    "  them (a tenth of a second); every one of the corpus's 1,571 defaults now takes the shortcut, and the",
    "  validator accepts each. (2) The cycle collector is paused for the whole command (not for `diff`, which",
    "  makes cycles) and runs only for the engine's objects, with every object alive before the engine frozen for",
    "  its run (`_run_engine`): on GitHub's",
    "  spec, one core, collections took 3.3 s, 1.2 s of it outside the engine (one collection while composing the",
    "  modules, 0.47 s), and a regeneration paid 0.27 s in three. Peak memory stayed where it was (793 MiB), where",
    "  pausing it during the engine too had cost 75 MiB (fifth round). (3) This benchmark flushes the file system",
    "  before each timed run and runs each side once untimed first: creating GitHub's 7,255 modules took 0.2 s on",
    "  a settled disk and 1 to 4.7 s right after thousands of files were written or deleted (measured apart,",
    "  2026-11-30), so one command paid for the one before, and the fifth round's two GitHub rows measured",
    "  different things (the every-core run wrote a fresh folder, the one-core run linked into it). The first",
    "  generation into an empty folder is now a row of its own. Where a regeneration's time goes now (GitHub's",
    "  spec, one schema nothing refers to changed, timers around each stage): normalise 0.8 s, writing 0.4-0.5 s",
    "  (it links 7,254 unchanged files and flushes each), effective spec 0.35 s, the engine on one schema 0.2 s",
    "  (mostly its own imports), everything else under 0.1 s each. (4) The partition into parts computed the",
    "  closure of every schema, which is quadratic on a chain of references (the synthetic specs), and it forked",
    "  a process for the one schema beside the chain: 3,000 synthetic schemas took 1.3 s and 25 MiB more on every",
    "  core than on one. It now places only the closures of schemas nothing refers to (a seeded test compares the",
    "  parts with those of every closure) and joins a part below `MIN_PART_SIZE` to another: every core now",
    "  costs what one does there (9.3 s, 359 MiB, measured apart), and that row went from 1.72x to 1.49x.",
    "- **What the seventh round changed** (each measured apart on 2026-11-30, timers around each stage or the",
    "  memory sampler this benchmark uses): (1) the command line ends its process as soon as its work is done and",
    "  its output flushed (`cli.run`, as mypy does): Python's normal exit freed the spec and the engine's objects",
    "  one by one and collected them once more, 0.1 s of a 0.55 s Workflows `generate` (median of 15 runs each",
    "  way) and 0.4 s after GitHub's spec. (2) Each part formats its own modules and reads them for REFERENCE.md",
    "  in its own process, while the other part's engine is still running: on GitHub's spec on every core, what",
    "  the parent does after the parts went from 0.47 s (formatting) and 0.92 s (distribution files and",
    "  REFERENCE.md) to 0.02 s and 0.28 s. (3) The effective spec is released before the engine runs, unless",
    "  `--effective-spec` asks for it: GitHub's spec on one core peaked at 748 MiB instead of 773 (two runs each",
    "  way), on every core at 826-828 MiB instead of 844-863. (4) When the engine runs in one piece on 2,000",
    "  modules or more, each core lays out, formats and reads a share of them: 0.2 s of 9.5 on 3,000 synthetic",
    "  schemas, with the same peak; on 1,000 it saved a tenth of a second but raised the peak from 152 to",
    "  161-168 MiB (the second process copies the pages either process writes), hence the threshold.",
    "- **What the eighth round changed** (each measured apart on 2026-11-30, alternating runs, medians of 9-11):",
    "  (1) `generate` reads its inputs in a second process while the first imports the engine. On a small spec the",
    "  engine's first call spent about 0.2 s importing its parser and models, after 70-90 ms of reading the spec and",
    "  overlay and normalising them, one after the other. Now a forked process reads and normalises",
    "  (`pipeline._read_inputs`) while this one imports the engine (`render.load_engine`), and the engine's input",
    "  comes back pickled (GitHub's: 3.4 MB, about 0.1 s to send and rebuild). Workflows went from 0.51 to 0.43 s",
    "  (raw 0.40), 100 synthetic schemas from 0.72 to 0.67 s (raw 0.55); the peak memory stayed where it was, as",
    "  that process has ended before the engine runs. Not with `--jobs 1`, on one core or with `--effective-spec`.",
    "  (2) The toolchain fingerprint (every file of the generator and its templates and seven library versions, 5-8",
    "  ms a call) is read once, with the inputs, where the engine's state, the reference page and the manifest read",
    "  it three times after the engine. (3) The second process also compiles the project's own templates (package",
    "  and distribution, about 15 ms) and hands the code over through Jinja's bytecode-cache interface; Jinja checks",
    "  each entry against the template's source, so a changed template is compiled again. (2) and (3) together:",
    "  Workflows 0.45 to 0.41 s (raw 0.38). (4) A `generate` into a folder this machine last generated from the",
    "  very same inputs (`make generate` on an up-to-date tree) reads them in one process: every module is then",
    "  most likely kept and the engine does not run, so importing it beside would only cost time (Workflows, seven",
    "  runs each: 0.26 s before this round, 0.33 s with the engine imported anyway, 0.23 s now).",
    "  Tried and not kept: running the part of most schemas in this process,",
    "  since a part's results have to be sent back (GitHub's two parts took 8.8-9.6 s each in the engine whichever",
    "  ran where, and three runs each way showed no difference).",
    "- **What the ninth round changed: the floor is measured, not estimated.** Earlier rounds estimated what the",
    "  engine alone would cost from its share of the profiled run, times `generate`'s ratio; that read 0.46x raw on",
    "  the Workflows spec, where the engine alone, timed beside both commands (the floor table), takes about as",
    "  long as raw datamodel-codegen's whole run (0.86-0.90x in two runs on 2026-11-30, `generate` 0.94x). The",
    "  estimate left out the interpreter's start and most of the engine's imports (under the profiler they fall",
    "  to start-up, or to the first call with the rest of the engine), and cProfile slows the project's Python and",
    "  the engine's unevenly. The floor is now a third side of the same alternating turns: a fresh interpreter",
    "  imports the engine and calls it once as `generate` does (`benchmarks/engine_alone.py`), on the pickled",
    "  engine input, and writes nothing.",
    "- **The ninth round also stopped the memory sampler from slowing the timed runs.** Reading the proportional",
    "  set sizes of GitHub's `generate` processes took 17.7 ms a sample (218 samples in one run: 3.9 s), a quarter",
    "  of a core at one sample every 50 ms. Raw datamodel-codegen runs on one core and leaves the other to the",
    "  sampler; `generate` on every core does not. Timed apart, three runs each (2026-11-30): `generate` on",
    "  GitHub's spec took 0.8-1.1 s longer sampled than not (13.5, 12.9, 12.9 s unsampled), raw datamodel-codegen",
    "  0.3-0.6 s (11.6, 11.5, 11.9 s). Timed runs now go unsampled, and each side's peak memory comes from one",
    "  more run, sampled, after them (`alternate`); the peaks did not move.",
    "- **Where the rest of the gap is on a small spec** (Workflows, timers around each stage, 2026-11-30): this",
    "  process imports the command line and the pipeline (about 0.1 s, half of it jinja2, yaml and library",
    "  metadata), then the engine's modules (0.2-0.25 s, as raw datamodel-codegen's command line does), while the",
    "  second process reads the inputs (0.1-0.15 s). The engine's first call then compiles the project's",
    "  `templates/datamodel/` (45 ms; `field.jinja2` alone 23 ms; the engine's Jinja environment has no bytecode",
    "  cache to hand them to) and builds its configuration model (about 25 ms; its command line does not), and",
    "  raw datamodel-codegen renders with its own compiled code and loads no Jinja at all. What follows the engine",
    "  (laying out, one ruff run, distribution files, manifest, writing) takes about 30 ms.",
    "- **Why a change to a schema many others refer to renders them all again:** the engine (0.89.0), rendering a",
    "  model, reads the models it refers to, not only their names: their fields (the rules for `uniqueItems`",
    "  arrays read the item model's field names, `parser/_schema_validators.py`; default factories of optional",
    "  nested models read the referenced model's required fields, `model/base.py`), and their nullability and",
    "  whether they are aliases (the imports, `model/_field_imports.py`). A property added to `simple-user` can",
    "  therefore change a module that refers to it; keeping those modules would need a model of every such read,",
    "  kept in step with each engine release, and it could not be shown never stale. It was not built.",
    "- Wall times on this machine vary with its load (it is shared by about eight jobs): both sides are measured",
    "  alternately in one run, so the ratios are what to compare; `write tree` in the profile is mostly waiting",
    "  for the disk (every file is flushed before the atomic swap). Ratios move by up to a third from run to run",
    "  on this machine (the Workflows ratio has read from 1.24x to 1.52x in runs of nearly the same code); single",
    "  samples (3,000 schemas, GitHub's spec) are the least steady.",
    "- **Raw datamodel-codegen is measured with `--formatters builtin`**, its fastest formatter and its announced",
    "  next default; its current default (black and isort) is slower, so the ratios above are against the",
    "  stricter baseline.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="sizes up to 1,000 schemas, no GitHub spec")
    parser.add_argument("--readme-only", action="store_true", help="rewrite README.md and the plot from results.json")
    args = parser.parse_args()
    if args.readme_only:
        results = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
        results["notes"] = NOTES
        plot(results["scale"], HERE / "scale.png")
        (HERE / "README.md").write_text(write_readme(results), encoding="utf-8")
        return
    sizes = {10: 3, 100: 2, 1000: 1} if args.quick else SIZES
    results: dict[str, Any] = {"machine": machine(), "notes": NOTES}
    with tempfile.TemporaryDirectory(prefix="nexthink-bench-") as tmp:
        work = Path(tmp)
        print("generate vs raw datamodel-codegen on specs/workflows.yaml")
        results["generate"] = bench_generate(work)
        print(f"  {results['generate']['time_ratio']:.2f}x")
        print("check (nothing changed) vs raw datamodel-codegen")
        results["check"] = bench_check(work)
        print(f"  {results['check']['time_ratio']:.2f}x")
        print("scale")
        results["scale"] = bench_scale(work, sizes, github=not args.quick)
        github = octokit_spec() if not args.quick else None
        if github is not None:
            print("regenerate after a one-schema change (GitHub's spec) vs raw datamodel-codegen's full run")
            results["regenerate"] = bench_regenerate(work, github)
        print("validation")
        results["validation"] = bench_validation(work)
    print("profile")
    results["profile"] = profile_run(quick=args.quick)
    plot(results["scale"], HERE / "scale.png")
    (HERE / "README.md").write_text(write_readme(results), encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'README.md'}")


if __name__ == "__main__":
    main()
