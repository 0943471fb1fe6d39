"""The I/O and process half of the security model: concurrent runs, scratch location, symlinked --out, git
revisions, non-regular input files, the time budget and the local record behind `check`'s fast path."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import write
from generator.cli import main
from generator.manifest import CACHE_ENV, MANIFEST
from tests.conftest import ROOT, run_cli, snapshot, workflows_args
from tests.synthetic import synthetic_spec

HEAD = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
HANG_LIMIT = 20  # seconds: a refused input answers in about one; this only turns a hang into a failure


def _cli(
    *args: str | Path, cwd: Path = ROOT, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def _tree(folder: Path) -> dict[str, str]:
    return {k: v for k, v in snapshot(folder).items() if "__pycache__" not in k}


def _siblings(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@contextmanager
def _immutable(folder: Path) -> Iterator[None]:
    """Make ``folder`` refuse new entries even for root (chattr +i); skip the test where that is not possible."""
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)], check=False).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


# --- concurrency and scratch folders -------------------------------------------------------------------------


def _forked_generate(*args: str | Path) -> int:
    """Start `generate` in a child process forked from this one (the engine already imported: a run costs a
    fraction of a second instead of an interpreter start); returns its pid."""
    pid = os.fork()
    if pid == 0:  # the child: run the command, never return into pytest
        status = 70
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            status = main(["generate", *map(str, args)])
        finally:
            os._exit(status)
    return pid


def test_twenty_pairs_of_concurrent_runs_always_leave_a_complete_tree(tmp_path: Path) -> None:
    specs = {}
    for variant in ("a", "b"):
        specs[variant] = tmp_path / f"{variant}.json"
        specs[variant].write_text(json.dumps(synthetic_spec(20, variant=f" ({variant})")))
    common = ["--no-overlay", "--package", "models"]
    expected = {}
    for variant, spec in specs.items():
        assert run_cli("generate", "--spec", spec, "--out", tmp_path / f"ref_{variant}", *common).status == 0
        expected[variant] = _tree(tmp_path / f"ref_{variant}")
    out = tmp_path / "out"
    for pair in range(20):
        order = (specs["a"], specs["b"]) if pair % 2 == 0 else (specs["b"], specs["a"])
        pids = [_forked_generate("--spec", spec, "--out", out, *common) for spec in order]
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        assert statuses == [0, 0], f"pair {pair}: exit statuses {statuses}"
        tree = _tree(out)
        assert tree in (expected["a"], expected["b"]), f"pair {pair}: incomplete or mixed tree ({len(tree)} files)"
        winner = "a" if tree == expected["a"] else "b"
        checked = run_cli("check", "--spec", specs[winner], "--out", out, *common)
        assert checked.status == 0, checked.stdout + checked.stderr
    final = run_cli("check", "--full", "--spec", specs[winner], "--out", out, *common)
    assert final.status == 0, final.stdout + final.stderr
    assert _siblings(tmp_path) == {
        "a.json",
        "b.json",
        "ref_a",
        "ref_b",
        "out",
        ".out.lock",
        ".ref_a.lock",
        ".ref_b.lock",
    }


def test_scratch_folders_live_in_the_parent_of_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Path] = []
    real_mkdtemp = write.tempfile.mkdtemp

    def spy(*args: object, **kwargs: object) -> str:
        path = real_mkdtemp(*args, **kwargs)  # type: ignore[call-overload]
        made.append(Path(path))
        return str(path)

    # Only the write stage's folders: the formatter's private scratch folder (generator/formatting.py, gone when
    # it returns) is another module's business.
    monkeypatch.setattr(write, "tempfile", SimpleNamespace(mkdtemp=spy))
    out = tmp_path / "home/user/out"
    assert run_cli("generate", "--out", out).status == 0
    assert run_cli("generate", "--out", out).status == 0  # a replacement, through the exchange
    assert made and all(p.parent == out.parent for p in made)
    assert _siblings(tmp_path / "home") == {"user"}


def test_generate_works_when_the_grandparent_is_not_writable(tmp_path: Path) -> None:
    parent = tmp_path / "locked/home"
    parent.mkdir(parents=True)
    with _immutable(tmp_path / "locked"):
        for _ in range(2):
            result = run_cli("generate", "--out", parent / "out")
            assert result.status == 0, result.stderr
    assert run_cli("check", "--full", "--out", parent / "out").status == 0


def test_an_unwritable_parent_is_one_line_naming_out(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    out = parent / "out"
    with _immutable(parent):
        result = run_cli("generate", "--out", out)
    assert result.status == 2 and result.stderr == f"error: {out}: cannot write: Operation not permitted\n"
    assert not out.exists()


def test_leftovers_of_a_killed_run_are_cleaned_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", "--out", out).status == 0
    before = _tree(out)
    staging = tmp_path / ".out.new-999999-dead"  # a run killed while writing
    old = tmp_path / ".out.old-999998-dead"  # a run killed in the middle of a swap without renameat2
    for leftover in (staging, old):
        (leftover / "pkg").mkdir(parents=True)
        (leftover / "pkg/half.py").write_text("x = 1\n")
    assert run_cli("generate", "--out", out).status == 0
    assert _tree(out) == before
    assert _siblings(tmp_path) == {"out", ".out.lock"}


def test_a_killed_swap_is_recovered_by_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", "--out", out).status == 0
    before = _tree(out)
    out.rename(tmp_path / ".out.old-999998-dead")  # killed after moving the old tree away, before moving in
    assert run_cli("check", "--full", "--out", out).status == 1
    assert run_cli("generate", "--out", out).status == 0
    assert _tree(out) == before and _siblings(tmp_path) == {"out", ".out.lock"}


def test_a_live_runs_staging_folder_is_left_alone(tmp_path: Path) -> None:
    spec = tmp_path / "tiny.yaml"
    spec.write_text(HEAD + "    Car: {type: string}\n")
    out = tmp_path / "out"
    tiny = ["--spec", str(spec), "--no-overlay", "--out", str(out)]
    assert run_cli("generate", *tiny).status == 0
    staging = tmp_path / ".out.new-1-live"
    staging.mkdir()
    lock = os.open(tmp_path / ".out.lock", os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # this test process plays a run that is writing `out` right now
    try:
        waiting = subprocess.Popen(
            [sys.executable, "-m", "generator", "generate", *tiny],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(8)  # a run on this tiny spec takes about a second; this one must still be waiting
        assert waiting.poll() is None, "the second run did not wait for the lock"
        assert staging.is_dir(), "the live run's staging folder was deleted"
    finally:
        os.close(lock)
    _, stderr = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, stderr
    assert not staging.exists()  # once the live run is gone, its leftover is cleaned


def test_waiting_for_the_lock_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    lock = os.open(tmp_path / ".out.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    monkeypatch.setattr(write, "LOCK_WAIT_SECONDS", 0.5)
    try:
        result = run_cli("generate", "--out", out)
    finally:
        os.close(lock)
    assert result.status == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {out}: another nexthink-codegen run has been writing this folder")
    assert not out.exists()


# --- a symlinked --out and the error messages of the write step ----------------------------------------------


def test_out_that_is_a_symlink_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    real = tmp_path / "parent/real"
    assert run_cli("generate", "--out", real).status == 0
    (real / "nexthink_workflows/nxt_workflow.py").write_text("# edited\n")  # so a rewrite would be visible
    link = tmp_path / "parent/link"
    link.symlink_to(real, target_is_directory=True)
    dangling = tmp_path / "parent/dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    before_real, before_root = _tree(real), _siblings(tmp_path)
    before_parent = _siblings(tmp_path / "parent")
    for out in (link, dangling):
        effective = tmp_path / "effective.yaml"
        result = run_cli("generate", "--out", out, "--effective-spec", effective)
        assert result.status == 2, result.stderr
        assert result.stderr.startswith(f"error: {out}: is a symbolic link; give --out the real folder")
        assert result.stderr.count("\n") == 1
        assert not effective.exists()
    assert link.is_symlink() and os.readlink(link) == str(real) and dangling.is_symlink()
    assert _tree(real) == before_real
    assert _siblings(tmp_path) == before_root and _siblings(tmp_path / "parent") == before_parent
    assert not (tmp_path / "nowhere").exists()


def test_write_errors_never_name_a_temporary_path(tmp_path: Path) -> None:
    out = tmp_path / "file"
    out.write_text("not a folder\n")
    refused = run_cli("generate", "--out", out)
    assert refused.status == 2 and refused.stderr.startswith(f"error: {out}: holds files")
    folder = tmp_path / "effective"
    folder.mkdir()
    (folder / "keep").write_text("x")
    result = run_cli("generate", "--out", tmp_path / "out", "--effective-spec", folder)
    assert result.status == 2 and result.stderr == f"error: {folder}: cannot write: Is a directory\n"
    assert _siblings(tmp_path) == {"file", "effective"} and _siblings(folder) == {"keep"}


# --- git revisions -------------------------------------------------------------------------------------------


def test_an_option_shaped_revision_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    for rev in (f"--output={tmp_path}/d:/../victim.txt", f"--output={tmp_path}/x:specs/workflows.yaml", "-p:x"):
        result = _cli("diff", "--", rev, "specs/workflows.yaml", timeout=60)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"error: {rev}: ") and "is not a git revision" in result.stderr
    assert victim.read_text() == "precious\n"
    assert _siblings(tmp_path) == {"victim.txt"}


def test_a_revision_must_name_a_commit(tmp_path: Path) -> None:
    result = _cli("diff", "HEAD^{tree}:specs/workflows.yaml", "specs/workflows.yaml", timeout=60)
    assert result.returncode == 2 and "cannot read from git" in result.stderr and result.stderr.count("\n") == 1
    good = _cli("diff", "HEAD:specs/workflows.yaml", "specs/workflows.yaml", timeout=120)
    assert good.returncode == 0, good.stderr


# --- regular files only ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_spec_is_refused_at_once(device: str, tmp_path: Path) -> None:
    started = time.monotonic()
    result = _cli("generate", "--spec", device, "--no-overlay", "--out", tmp_path / "out", timeout=HANG_LIMIT)
    assert time.monotonic() - started < HANG_LIMIT
    assert result.returncode == 2
    assert result.stderr == f"error: {device}: is a device, expected a regular file\n"
    assert not (tmp_path / "out").exists()


def test_a_fifo_spec_overlay_or_ref_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "api/pipe.yaml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    spec = tmp_path / "api/spec.yaml"
    spec.write_text(HEAD + "    Car:\n      type: object\n      properties:\n        id: {$ref: 'pipe.yaml#/Id'}\n")
    plain = tmp_path / "api/plain.yaml"
    plain.write_text(HEAD + "    Car: {type: string}\n")
    out = tmp_path / "out"
    cases = [
        (["--spec", fifo, "--no-overlay"], f"error: {fifo}: is a FIFO, expected a regular file\n"),
        (["--spec", plain, "--overlay", fifo], f"error: {fifo}: is a FIFO, expected a regular file\n"),
        (
            ["--spec", spec, "--no-overlay"],
            f"error: {spec} at /components/schemas/Car/properties/id/$ref: "
            f"referenced file {fifo}: is a FIFO, expected a regular file\n",
        ),
        (
            ["--spec", tmp_path / "api", "--no-overlay"],
            f"error: {tmp_path / 'api'}: is a directory, expected a regular file\n",
        ),
    ]
    for args, message in cases:
        result = _cli("generate", *args, "--out", out, timeout=HANG_LIMIT)
        assert result.returncode == 2 and result.stderr == message
    diffed = _cli("diff", fifo, plain, timeout=HANG_LIMIT)
    assert diffed.returncode == 2 and diffed.stderr == f"error: {fifo}: is a FIFO, expected a regular file\n"
    assert not out.exists()


def test_a_fifo_among_the_vendor_pages_is_refused_without_hanging(tmp_path: Path) -> None:
    docs = tmp_path / "pages"
    (docs / "workflows").mkdir(parents=True)
    (docs / "workflows.md").write_text("# Workflows\n")
    os.mkfifo(docs / "workflows" / "pipe.md")
    out = tmp_path / "spec.yaml"
    result = _cli("ingest", "--docs", docs, "--out", out, timeout=HANG_LIMIT)
    assert result.returncode == 2
    assert result.stderr == "error: pages/workflows/pipe.md: is a FIFO, expected a regular file\n"
    assert not out.exists()


def test_the_size_limit_applies_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import documents

    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    spec = tmp_path / "spec.yaml"
    spec.write_text(HEAD + "    Car: {type: string, description: '" + "x" * 2000 + "'}\n")
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out")
    assert result.status == 2 and result.stderr == f"error: {spec}: document larger than 1000 bytes\n"


def test_no_more_than_the_limit_is_ever_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import safeio

    big = tmp_path / "big"
    big.write_bytes(b"x" * 50_000)
    read: list[int] = []
    real_read = os.read

    def counting(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        read.append(len(data))
        return data

    monkeypatch.setattr(safeio.os, "read", counting)
    with pytest.raises(safeio.TooLargeError):
        safeio.read_regular_bytes(big, 1000)
    assert sum(read) == 1001
    assert safeio.read_regular_bytes(big, 50_000) == b"x" * 50_000


# --- the time budget ---------------------------------------------------------------------------------------------


def test_generation_past_its_time_budget_stops_with_exit_2(tmp_path: Path) -> None:
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps(synthetic_spec(400)))
    out = tmp_path / "out"
    started = time.monotonic()
    result = _cli("generate", "--spec", spec, "--no-overlay", "--out", out, "--timeout", "0.5", timeout=120)
    assert time.monotonic() - started < 30
    assert result.returncode == 2
    assert result.stderr == f"error: {spec}: generation exceeded the time budget of 0.5 s\n"
    assert not out.exists() and _siblings(tmp_path) == {"big.json"}


def test_the_budget_stops_work_stuck_in_a_regex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from generator import pipeline

    def catastrophic(*args: object, **kwargs: object) -> dict[str, str]:
        re.match(r"^(?=a)(a+)+$", "a" * 40 + "b")  # exponential backtracking inside the C regex engine
        return {}

    monkeypatch.setattr(pipeline, "render_package", catastrophic)
    out = tmp_path / "out"
    started = time.monotonic()
    for command in ("generate", "check"):
        result = run_cli(command, "--out", out, "--timeout", "1")
        assert result.status == 2, result.stderr
        assert result.stderr == "error: specs/workflows.yaml: generation exceeded the time budget of 1 s\n"
    diffed = run_cli("diff", "specs/workflows.yaml", "specs/workflows.yaml", "--timeout", "1")
    assert (
        diffed.status == 2
        and diffed.stderr == "error: specs/workflows.yaml: generation exceeded the time budget of 1 s\n"
    )
    assert time.monotonic() - started < 15
    assert not out.exists()


def test_a_negative_or_absurd_timeout_is_a_usage_error() -> None:
    for value in ("-1", "abc", "inf", "nan"):
        assert run_cli("generate", "--timeout", value).status == 2


# --- `check`: the local record, the full comparison ----------------------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for name in ("specs", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", ".*cache"))
    return tmp_path


def test_an_edited_module_with_its_hash_recomputed_fails_check(copy: Path) -> None:
    assert run_cli("generate", *workflows_args(copy)).status == 0  # this machine has a record of the real tree
    module = copy / "generated/nexthink_workflows/nxt_workflow_status.py"
    module.write_text(module.read_text() + "\nimport os  # payload\n")
    manifest_path = copy / "generated" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    import hashlib

    manifest["files"]["nexthink_workflows/nxt_workflow_status.py"] = hashlib.sha256(module.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    for extra in ([], ["--full"]):
        result = run_cli("check", *workflows_args(copy), *extra)
        assert result.status == 1, result.stdout + result.stderr
        assert "nxt_workflow_status.py" in result.stdout and "-import os  # payload" in result.stdout


def _check_in_a_fresh_interpreter(root: Path, cache: Path, *extra: str) -> tuple[int, bool]:
    """`check`'s exit status, and whether it loaded the rendering engine."""
    code = (
        "import sys\nfrom generator.cli import main\n"
        f"status = main(['check', *{[str(a) for a in workflows_args(root)]!r}, *{list(extra)!r}])\n"
        "print('ENGINE' if 'datamodel_code_generator' in sys.modules else 'NO-ENGINE', status)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**os.environ, CACHE_ENV: str(cache)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    engine, status = ran.stdout.strip().splitlines()[-1].split()
    return int(status), engine == "ENGINE"


def test_fast_path_needs_a_local_record(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = tmp_path_factory.mktemp("cache")
    # A checkout with no local record (CI, or a tree someone else committed): the full comparison runs.
    assert _check_in_a_fresh_interpreter(copy, cache) == (0, True)
    # That full comparison proved the tree current and recorded it: the next check is fast.
    assert _check_in_a_fresh_interpreter(copy, cache) == (0, False)
    # --full never trusts the record.
    assert _check_in_a_fresh_interpreter(copy, cache, "--full") == (0, True)
    # Another machine (another cache) has no record either.
    assert _check_in_a_fresh_interpreter(copy, tmp_path_factory.mktemp("other")) == (0, True)


def test_generate_records_its_tree_for_the_fast_path(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    cache = tmp_path_factory.mktemp("cache")
    env = {**os.environ, CACHE_ENV: str(cache)}
    args = [str(a) for a in workflows_args(copy)]
    ran = subprocess.run(
        [sys.executable, "-m", "generator", "generate", *args], cwd=copy, env=env, capture_output=True, check=False
    )
    assert ran.returncode == 0
    assert len(list(cache.glob("*.ok"))) == 1
    assert _check_in_a_fresh_interpreter(copy, cache) == (0, False)


def test_ci_and_pre_commit_run_the_full_comparison() -> None:
    workflow = (ROOT / ".github/workflows/spec-review.yml").read_text()
    assert "nexthink-codegen check --full" in workflow
    for hooks in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        assert "nexthink-codegen check --full" in (ROOT / hooks).read_text()


def test_the_command_line_process_ends_with_main_s_status_and_all_it_printed(
    copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`python -m generator` ends its process without tearing the heap down (`cli.run`): what it printed through a
    pipe (block-buffered) still arrives, the exit status is main's, the package is complete and nothing temporary
    is left beside it."""
    cache = tmp_path_factory.mktemp("cache")
    env = {**os.environ, CACHE_ENV: str(cache)}

    def command(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        return _cli(*argv, cwd=copy, env=env)

    out = copy / "fresh"
    made = command("generate", *workflows_args(copy), "--out", out)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("wrote ") and made.stdout.endswith(f"files to {out}\n")
    assert snapshot(out) == snapshot(copy / "generated")
    # The lock beside the output folder is kept by design (`generator.write`).
    assert sorted(p.name for p in copy.iterdir()) == [".fresh.lock", "fresh", "generated", "specs"]
    assert command("check", *workflows_args(copy), "--out", out).returncode == 0
    (out / "models_extra.py").write_text("x = 1\n")
    stale = command("check", *workflows_args(copy), "--out", out)
    assert stale.returncode == 1 and "models_extra.py" in stale.stdout
    bad = command("generate", "--spec", copy / "missing.yaml", "--out", out)
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and "missing.yaml" in bad.stderr
    assert "Traceback" not in bad.stderr
