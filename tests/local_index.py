"""A real package index for the tests: pypiserver on 127.0.0.1, and fresh virtual environments to install into."""

from __future__ import annotations

import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
START_TIMEOUT = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_index(packages: Path) -> Iterator[str]:
    """pypiserver on 127.0.0.1 serving (and accepting uploads into) ``packages`` without authentication."""
    packages.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "pypi-server"), "run", "--host", "127.0.0.1", "-p", str(port), "-a", ".", "-P", ".", str(packages)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("pypiserver did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def fresh_venv(folder: Path) -> Path:
    """A new virtual environment that sees pydantic (from this one) but not the generated package."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    purelib = subprocess.run(
        [str(folder / "bin/python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "pydantic-from-test.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return folder / "bin/python"


def pip_install(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pip (this environment's) installing into another environment, without dependencies."""
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)
