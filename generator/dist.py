"""Build and publish: the distribution under ``--out`` → a reproducible sdist and wheel → a package index.

Both run the standard tools as subprocesses at the edge: ``python -m build`` (hatchling, no isolation, so the
locked backend version decides the bytes) and ``python -m twine``. Archives are reproducible: the files are
built from the rendered text with fixed modes, and SOURCE_DATE_EPOCH comes from the release history. Publishing
uploads the two archives of the current released version only, after asking the index's simple API (PEP 503)
whether it already has that version.
"""

from __future__ import annotations

import base64
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from http import HTTPStatus
from pathlib import Path

from generator.errors import CodegenError
from generator.release import UNRELEASED_VERSION

__all__ = [
    "build_distribution",
    "publish_distribution",
    "published_versions",
    "release_archives",
    "simple_index_url",
]


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


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_USERINFO = re.compile(r"([a-z][a-z0-9+.-]*://)[^/@\s]+@", re.IGNORECASE)
_PYPI_UPLOAD = "https://upload.pypi.org/legacy/"
_PYPI_SIMPLE = "https://pypi.org/simple/"
_INDEX_TIMEOUT = 60


def _clean(text: str) -> str:
    """``text`` without terminal codes, without credentials in URLs and without the password twine was given."""
    text = _USERINFO.sub(r"\1***@", _ANSI.sub("", text))
    secret = os.environ.get("TWINE_PASSWORD")
    return text.replace(secret, "***") if secret else text


def _twine_error(output: str) -> str:
    """twine's own error line (``HTTPError: 400 Bad Request from ...``) with its continuation lines, if any."""
    lines = [line.rstrip() for line in _clean(output).splitlines()]
    for position, line in enumerate(lines):
        if line.startswith("ERROR"):
            more = [rest.strip() for rest in itertools.takewhile(lambda x: x.startswith(" "), lines[position + 1 :])]
            return " ".join([line.removeprefix("ERROR").strip(), *filter(None, more)])
    meaningful = [line.strip() for line in lines if line.strip()]
    return meaningful[-1] if meaningful else "no output"


def _hide_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urllib.parse.urlunsplit(
        parts._replace(netloc=f"***@{parts.hostname}" + (f":{parts.port}" if parts.port else ""))
    )


def simple_index_url(repository_url: str | None) -> str:
    """The simple API of the index an upload URL belongs to: PyPI's for twine's default, ``<root>/simple/`` else."""
    if repository_url is None or repository_url.rstrip("/") + "/" == _PYPI_UPLOAD:
        return _PYPI_SIMPLE
    root = repository_url.rstrip("/").removesuffix("/legacy")
    return f"{root}/simple/"


def published_versions(simple_url: str, distribution: str) -> set[str]:
    """The versions of ``distribution`` an index's simple API lists (empty when it does not know the project)."""
    name = re.sub(r"[-_.]+", "-", distribution).lower()
    url = f"{simple_url.rstrip('/')}/{name}/"
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise CodegenError(_hide_userinfo(url), "the index URL must be http or https")
    request = urllib.request.Request(url, headers={"Accept": "text/html"})
    user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    if user and password:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=_INDEX_TIMEOUT) as response:
            page = response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        if exc.code == HTTPStatus.NOT_FOUND:
            return set()
        raise CodegenError(_hide_userinfo(url), f"the index answered {exc.code} {exc.reason}") from None
    except (OSError, ValueError) as exc:
        raise CodegenError(_hide_userinfo(url), f"cannot query the index: {_clean(str(exc))}") from None
    prefix = re.escape(distribution.replace("-", "_")).replace("_", "[-_.]")
    found = re.finditer(rf"\b{prefix}-(\d+\.\d+\.\d+)(?:-[^\s\"'<>#/]*\.whl|\.tar\.gz|\.zip)", page, re.IGNORECASE)
    return {match.group(1) for match in found}


def release_archives(dist: Path, package: str, version: str) -> list[Path]:
    """The sdist and the wheel of ``version`` in ``dist`` (both must be there)."""
    wheels = sorted(dist.glob(f"{package}-{version}-*.whl")) if dist.is_dir() else []
    sdist = dist / f"{package}-{version}.tar.gz"
    if len(wheels) != 1 or not sdist.is_file():
        raise CodegenError(
            dist, f"holds no sdist and wheel of {package} {version}; run `nexthink-codegen release` (or `build`) first"
        )
    return [sdist, wheels[0]]


def publish_distribution(
    dist: Path, repository_url: str | None, *, package: str, version: str, index_url: str | None = None
) -> list[Path]:
    """Upload the sdist and wheel of ``version`` from ``dist`` with twine, unless the index already has it.

    Credentials come from twine's environment (``TWINE_USERNAME``/``TWINE_PASSWORD``) or keyring and never appear
    in a message; neither do terminal codes.
    """
    if version == UNRELEASED_VERSION:
        raise CodegenError(
            "specs/releases/index.yaml", "nothing released yet (version 0.0.0); run `nexthink-codegen release` first"
        )
    archives = release_archives(dist, package, version)
    simple = index_url or simple_index_url(repository_url)
    distribution = package.replace("_", "-")
    if version in published_versions(simple, distribution):
        raise CodegenError(
            _hide_userinfo(simple),
            f"{distribution} {version} is already on the index (an index never takes a version twice); "
            "release a new version first",
        )
    command = [sys.executable, "-m", "twine", "--no-color", "upload", "--non-interactive", "--disable-progress-bar"]
    if repository_url:
        command += ["--repository-url", repository_url]
    try:
        result = subprocess.run(
            [*command, *map(str, archives)], capture_output=True, text=True, check=False, timeout=600
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CodegenError("twine upload", f"cannot run: {_clean(str(exc))}") from None
    if result.returncode != 0:
        raise CodegenError("twine upload", f"failed: {_twine_error(result.stdout + result.stderr)}")
    return archives
