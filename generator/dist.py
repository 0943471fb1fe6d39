"""Build and publish: the distribution under ``--out`` → a reproducible sdist and wheel → a package index.

Both run the standard tools as subprocesses at the edge: ``python -m build`` (hatchling, no isolation, so the
locked backend version decides the bytes) and ``python -m twine``. Archives are reproducible: the files are
built from the rendered text with fixed modes, and SOURCE_DATE_EPOCH comes from the release history.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.errors import CodegenError

__all__ = ["build_distribution", "publish_distribution"]


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=env, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CodegenError(what, f"cannot run: {exc}") from None
    if result.returncode != 0:
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        raise CodegenError(what, f"failed: {lines[-1] if lines else 'exit status ' + str(result.returncode)}")
    return result


def build_distribution(files: dict[str, str], dist: Path, epoch: int) -> list[Path]:
    """Build an sdist and a wheel from the distribution ``files`` into ``dist``; return the two archives."""
    with tempfile.TemporaryDirectory(prefix="nexthink-codegen-build-") as tmp:
        source, outdir = Path(tmp) / "source", Path(tmp) / "dist"
        for relative, text in sorted(files.items()):
            path = source / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            path.chmod(0o644)
        for folder in [source, *(p for p in source.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
        _run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir), str(source)],
            "python -m build",
            env,
        )
        archives = sorted(outdir.iterdir())
        if len(archives) != 2:
            raise CodegenError("python -m build", f"expected one sdist and one wheel, got {[a.name for a in archives]}")
        _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, archives)], "twine check --strict")
        dist.mkdir(parents=True, exist_ok=True)
        built = []
        for archive in archives:
            target = dist / archive.name
            shutil.copyfile(archive, target)
            built.append(target)
        return built


def publish_distribution(dist: Path, repository_url: str | None) -> str:
    """Upload every archive in ``dist`` with twine; credentials come from twine's environment or keyring."""
    archives = sorted(p for p in dist.glob("*") if p.suffix in (".whl", ".gz")) if dist.is_dir() else []
    if not archives:
        raise CodegenError(dist, "no archives to publish; run `nexthink-codegen build` first")
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar"]
    if repository_url:
        command += ["--repository-url", repository_url]
    _run([*command, *map(str, archives)], "twine upload")
    return ", ".join(a.name for a in archives)
