"""Tool litter: the caches and build output that tools create inside a generated tree.

Running mypy, ruff, pytest, pip or a build inside ``--out`` leaves folders there that the generator never writes.
`check` (both the manifest fast path and the full comparison) ignores them; any other file it did not write is
still reported. Standard library only: the fast path imports this module.
"""

from __future__ import annotations

__all__ = ["CACHE_DIRS", "TOP_LEVEL_BUILD_DIRS", "is_tool_litter"]

CACHE_DIRS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
"""Cache folders ignored at any depth."""
TOP_LEVEL_BUILD_DIRS = frozenset({"build", "dist"})
"""Build output folders ignored directly under ``--out`` only (a package may have a module folder of that name)."""
_METADATA_SUFFIX = ".egg-info"


def is_tool_litter(relative: str) -> bool:
    """True when ``relative`` (a POSIX path under ``--out``) lies inside a cache or build folder that tools create."""
    *folders, _ = relative.split("/")
    if folders and folders[0] in TOP_LEVEL_BUILD_DIRS:
        return True
    return any(folder in CACHE_DIRS or folder.endswith(_METADATA_SUFFIX) for folder in folders)
