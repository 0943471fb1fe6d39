"""`write_tree` links the old tree's files whose bytes are unchanged instead of writing them again (#13), and
never at the cost of a safety property: only a regular file inside the folder, with no other name, holding
exactly the bytes to be written, is ever linked; anything else is written afresh."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator import write
from generator.errors import CodegenError
from generator.manifest import MANIFEST
from generator.write import write_tree

FILES = {f"pkg/sub{i % 3}/m{i}.py": f"x = {i}\n" * (i + 1) for i in range(12)} | {
    "README.md": "read me\n",
    MANIFEST: "{}\n",
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXTHINK_CODEGEN_CACHE", str(tmp_path_factory.mktemp("cache")))


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.lstat().st_ino for p in folder.rglob("*") if not p.is_dir()}


def _contents(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}


def _regular_single_files(folder: Path) -> bool:
    return all(p.is_dir() or (not p.is_symlink() and p.is_file() and p.stat().st_nlink == 1) for p in folder.rglob("*"))


def test_unchanged_files_keep_their_inode_and_a_changed_one_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    before = _inodes(out)
    changed = FILES | {"pkg/sub1/m1.py": "x = 'changed'\n", "pkg/new.py": "y = 2\n"}
    write_tree(out, changed)
    after = _inodes(out)
    assert _contents(out) == changed
    assert {k for k in FILES if after[k] == before[k]} == set(FILES) - {"pkg/sub1/m1.py"}
    assert after["pkg/sub1/m1.py"] != before["pkg/sub1/m1.py"]
    assert _regular_single_files(out)  # the old tree is gone: each link is its file's only name
    assert {p.name for p in tmp_path.iterdir()} == {"out", ".out.lock"}


def test_a_hand_edited_file_of_the_same_size_is_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    edited = out / "pkg/sub2/m5.py"
    text = edited.read_text()
    edited.write_text(text.replace("5", "6"))  # same size, other bytes: only reading the bytes tells
    inode = edited.stat().st_ino
    write_tree(out, FILES)
    assert _contents(out) == FILES and edited.stat().st_ino != inode


def test_a_symlink_in_the_old_tree_is_never_linked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    outside = tmp_path / "outside.py"
    outside.write_text(FILES["pkg/sub0/m3.py"])  # the very bytes to be written
    (out / "pkg/sub0/m3.py").unlink()
    (out / "pkg/sub0/m3.py").symlink_to(outside)
    write_tree(out, FILES)
    assert _contents(out) == FILES and _regular_single_files(out)
    assert outside.stat().st_nlink == 1 and outside.read_text() == FILES["pkg/sub0/m3.py"]


def test_files_under_a_symlinked_folder_are_never_linked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    elsewhere = tmp_path / "elsewhere"
    (out / "pkg/sub1").rename(elsewhere)
    (out / "pkg/sub1").symlink_to(elsewhere, target_is_directory=True)
    outside_inodes = _inodes(elsewhere)
    write_tree(out, FILES)
    assert _contents(out) == FILES and _regular_single_files(out)
    assert not set(_inodes(out).values()) & set(outside_inodes.values())
    assert all(p.stat().st_nlink == 1 for p in elsewhere.iterdir())


def test_a_fifo_or_a_folder_in_the_old_tree_is_replaced_without_opening_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / "pkg/sub0/m0.py").unlink()
    os.mkfifo(out / "pkg/sub0/m0.py")  # opening it for reading without O_NONBLOCK would wait forever
    (out / "README.md").unlink()
    (out / "README.md").mkdir()
    write_tree(out, FILES)
    assert _contents(out) == FILES and _regular_single_files(out)


def test_a_file_with_another_name_is_not_linked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    other = tmp_path / "other-name.py"
    os.link(out / "pkg/sub1/m4.py", other)  # writing through `other` later must not change the package
    write_tree(out, FILES)
    assert (out / "pkg/sub1/m4.py").stat().st_ino != other.stat().st_ino
    assert _contents(out) == FILES and _regular_single_files(out)


def test_a_file_with_another_mode_is_not_linked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    (out / "pkg/sub2/m2.py").chmod(0o755)
    expected_mode = (out / "pkg/sub2/m8.py").stat().st_mode
    write_tree(out, FILES)
    assert (out / "pkg/sub2/m2.py").stat().st_mode == expected_mode and _contents(out) == FILES


@pytest.mark.parametrize("code", [errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP])
def test_when_links_fail_every_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    before = _inodes(out)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(write.os, "link", refuse)
    write_tree(out, FILES)
    assert _contents(out) == FILES and not set(_inodes(out).values()) & set(before.values())


def test_a_run_that_fails_after_linking_leaves_the_old_tree_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    before_inodes, before = _inodes(out), _contents(out)

    def fail(paths: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(write, "_flush", fail)  # every unchanged file already linked into the staging folder
    with pytest.raises(CodegenError, match="cannot write"):
        write_tree(out, FILES | {"pkg/sub0/m0.py": "changed = True\n"})
    assert _contents(out) == before and _inodes(out) == before_inodes and _regular_single_files(out)
    assert {p.name for p in tmp_path.iterdir()} == {"out", ".out.lock"}


def test_a_tree_of_many_folders_is_linked_with_a_few_descriptors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "MAX_OPEN_FOLDERS", 3)
    files = {f"pkg/a{i % 4}/b{i % 5}/m{i}.py": f"x = {i}\n" for i in range(40)} | {MANIFEST: "{}\n"}
    out = tmp_path / "out"
    write_tree(out, files)
    before = _inodes(out)
    opened = len(os.listdir("/proc/self/fd"))
    write_tree(out, files)
    assert len(os.listdir("/proc/self/fd")) == opened  # every folder descriptor closed
    assert _inodes(out) == before and _contents(out) == files


@pytest.mark.parametrize(
    ("code", "reported"), [(errno.ENOENT, False), (errno.ELOOP, False), (errno.EACCES, False), (errno.EIO, True)]
)
def test_an_old_file_that_vanishes_is_written_and_a_failing_disk_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reported: bool
) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES)
    before = _contents(out)
    real_open = open

    def failing_read(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if mode == "rb" and path == "m4.py":  # the old file, opened relative to its folder
            raise OSError(code, os.strerror(code))
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(write, "open", failing_read, raising=False)
    if reported:
        with pytest.raises(CodegenError, match=os.strerror(code)):
            write_tree(out, FILES)
        assert _contents(out) == before
    else:
        write_tree(out, FILES)
        assert _contents(out) == FILES and _regular_single_files(out)
    assert {p.name for p in tmp_path.iterdir()} == {"out", ".out.lock"}


def test_a_folder_changed_while_waiting_for_the_lock_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second check runs under the lock; its refusal must reach the caller as itself, not as an error of the
    # lock's context manager (a frozen exception refuses the __traceback__ that context managers set).
    out = tmp_path / "out"
    calls: list[Path] = []
    real_check = write.check_target

    def changed_meanwhile(target: Path) -> None:
        calls.append(target)
        if len(calls) == 2:
            out.mkdir()
            (out / "foreign.txt").write_text("not ours\n")
        real_check(target)

    monkeypatch.setattr(write, "check_target", changed_meanwhile)
    with pytest.raises(CodegenError, match="holds files nexthink-codegen did not write"):
        write_tree(out, FILES)
    assert [p.name for p in out.iterdir()] == ["foreign.txt"]
    assert {p.name for p in tmp_path.iterdir()} == {"out", ".out.lock"}
