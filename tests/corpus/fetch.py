"""Fetch the real-world corpus: pinned npm tarballs, verified by their integrity hash, into an ignored cache.

``python -m tests.corpus.fetch [--fast] [NAME ...]`` downloads (``npm pack NAME@VERSION``) the tarballs that
``tests/corpus/pins.toml`` names, checks each against its pinned sha512 integrity before reading a byte of it,
and extracts only the spec files the pin list names into ``.corpus-cache/docs/<document>/``. A tarball already
in the cache is re-verified, not downloaded again. The cache folder is ``$CORPUS_CACHE`` or ``.corpus-cache/``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PINS", "Pin", "cache_dir", "fetch", "load_pins"]

ROOT = Path(__file__).resolve().parents[2]
PINS = Path(__file__).with_name("pins.toml")
NPM_TIMEOUT_SECONDS = 600
CHUNK = 1 << 20


@dataclass(frozen=True)
class Pin:
    """One document of the corpus: which file inside which exactly pinned npm tarball."""

    name: str
    package: str
    version: str
    integrity: str
    path: str
    note: str
    fast: bool

    @property
    def tarball(self) -> str:
        """The file name `npm pack` gives the tarball (``@scope/name`` → ``scope-name-VERSION.tgz``)."""
        return f"{self.package.lstrip('@').replace('/', '-')}-{self.version}.tgz"


def load_pins(path: Path = PINS) -> list[Pin]:
    """Every document of the pin list, in the list's order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    packages = data["packages"]
    pins = []
    for name, entry in data["documents"].items():
        package = packages[entry["package"]]
        pins.append(
            Pin(
                name=name,
                package=entry["package"],
                version=package["version"],
                integrity=package["integrity"],
                path=entry["path"],
                note=entry.get("note", ""),
                fast=bool(entry.get("fast", False)),
            )
        )
    return pins


def cache_dir() -> Path:
    """Where tarballs and extracted specs are kept: ``$CORPUS_CACHE`` or ``.corpus-cache/`` in the checkout."""
    return Path(os.environ.get("CORPUS_CACHE") or ROOT / ".corpus-cache")


def _integrity(path: Path) -> str:
    algorithm = "sha512"
    digest = hashlib.new(algorithm)
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return f"{algorithm}-{base64.b64encode(digest.digest()).decode()}"


def _verified_tarball(pin: Pin, tarballs: Path) -> Path:
    """The pinned tarball in the cache, downloaded with `npm pack` when missing or not matching its pin."""
    target = tarballs / pin.tarball
    if target.is_file() and _integrity(target) == pin.integrity:
        return target
    tarballs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tarballs) as scratch:
        subprocess.run(
            ["npm", "pack", f"{pin.package}@{pin.version}", "--pack-destination", scratch, "--silent"],
            check=True,
            cwd=scratch,
            stdout=subprocess.DEVNULL,
            timeout=NPM_TIMEOUT_SECONDS,
        )
        downloaded = Path(scratch) / pin.tarball
        found = _integrity(downloaded)
        if found != pin.integrity:
            raise RuntimeError(f"{pin.package}@{pin.version}: integrity {found} does not match the pin {pin.integrity}")
        downloaded.replace(target)
    return target


def _extract(pin: Pin, tarball: Path, folder: Path) -> Path:
    """Copy the one member the pin names out of the verified tarball (nothing else is extracted)."""
    target = folder / Path(pin.path).name
    stamp = folder / ".integrity"
    if target.is_file() and stamp.is_file() and stamp.read_text() == f"{pin.integrity} {pin.path}":
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as archive:
        member = archive.getmember(pin.path)
        source = archive.extractfile(member)
        if not member.isfile() or source is None:
            raise RuntimeError(f"{pin.package}@{pin.version}: {pin.path} is not a regular file")
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as scratch:
            shutil.copyfileobj(source, scratch)
        Path(scratch.name).replace(target)
    stamp.write_text(f"{pin.integrity} {pin.path}")
    return target


def fetch(pins: list[Pin], cache: Path | None = None) -> dict[str, Path]:
    """The extracted spec of each pinned document (name → path), fetching and verifying what is missing."""
    cache = cache or cache_dir()
    found = {}
    for pin in pins:
        tarball = _verified_tarball(pin, cache / "tarballs")
        found[pin.name] = _extract(pin, tarball, cache / "docs" / pin.name)
    return found


def main(argv: list[str] | None = None) -> int:
    """Fetch the named documents (all of them by default, the fast subset with ``--fast``) and list them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="documents to fetch (default: every one in pins.toml)")
    parser.add_argument("--fast", action="store_true", help="only the documents that `make test` uses")
    args = parser.parse_args(argv)
    pins = [p for p in load_pins() if (not args.names or p.name in args.names) and (p.fast or not args.fast)]
    unknown = set(args.names) - {p.name for p in pins}
    if unknown:
        parser.error(f"unknown documents: {', '.join(sorted(unknown))}")
    for name, path in fetch(pins).items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
