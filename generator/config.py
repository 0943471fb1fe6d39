"""Defaults of the command line and the fixed settings of the rendering engine."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_DOCS",
    "DEFAULT_JOBS",
    "DEFAULT_OUT",
    "DEFAULT_OVERLAY",
    "DEFAULT_PACKAGE",
    "DEFAULT_RELEASES",
    "DEFAULT_SPEC",
    "DEFAULT_TIMEOUT",
    "ENGINE_OPTIONS",
    "TEMPLATES_DIR",
    "WORKFLOWS_PACKAGE",
    "WORKFLOWS_RELEASES",
    "GenerateOptions",
    "default_releases",
]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
"""The project's templates: ``datamodel/`` overrides single engine templates, ``package/`` are the project's own."""

DEFAULT_DOCS = Path("specs/vendor/pages")
DEFAULT_SPEC = Path("specs/workflows.yaml")
DEFAULT_OVERLAY = Path("specs/workflows.overlay.yaml")
DEFAULT_OUT = Path("generated")
DEFAULT_PACKAGE: str | None = None
"""No default name: the package is named from the effective spec's ``info.title`` (``Nexthink Workflows``, as the
Workflows overlay sets it, gives ``nexthink_workflows``) unless ``--package`` says otherwise."""
DEFAULT_API = "workflows"
DEFAULT_RELEASES: Path | None = None
"""No fixed default: the project's release history applies to the Workflows package only (``default_releases``)."""
WORKFLOWS_RELEASES = Path("specs/releases")
WORKFLOWS_PACKAGE = "nexthink_workflows"
"""The package `publish` uploads unless told otherwise: the one this repository releases."""
DEFAULT_JOBS = 0
"""Cores the engine may use (``--jobs``): 0 is every core this process may run on. A large spec is rendered in
parts side by side (``generator.split``); the output is the same for any number."""
DEFAULT_TIMEOUT = 600.0
"""Seconds `generate`, `check` and `diff` may take before they stop with exit status 2 (``--timeout``; 0: none).
A real spec takes seconds; the budget bounds a hostile one that drives the engine into super-linear work."""


def default_releases(spec_given: bool, overlay: Path | None) -> Path | None:
    """The release history used when ``--releases`` is not given: the project's (``specs/releases``, beside the
    default spec) when the Workflows package is built, that is the default spec with an overlay; none when another
    spec is given or the overlay is left out, so another package never inherits the Workflows versions."""
    return WORKFLOWS_RELEASES if not spec_given and overlay is not None else None


ENGINE_OPTIONS: dict[str, Any] = {
    # pydantic v2 models, Python 3.11 syntax (`X | None`, `list[str]`), one module per class.
    "target_python_version": "3.11",
    "use_standard_collections": True,
    "use_union_operator": True,
    "use_exact_imports": True,
    # Inline object schemas are named after their parent (`TriggerRequestStatus`), so two inline `status`
    # objects in different schemas never produce two classes with one name.
    "parent_scoped_naming": True,
    # OpenAPI semantics: a property with a default is not nullable unless it says so.
    "strict_nullable": True,
    # Constraints and descriptions as `Field(...)` keywords; docstrings from schema descriptions.
    "field_constraints": True,
    "use_schema_description": True,
    "output_datetime_class": "datetime",
    # An enum-typed default is the member (`Species.dog`), not its raw value, which mypy rejects.
    "set_default_enum_member": True,
    # No timestamps. The engine formats nothing (no black, isort or builtin formatter): the generator runs ruff
    # over the whole package afterwards (`generator/formatting.py`).
    "disable_timestamp": True,
    # Left off: with one module per class, the engine's name-then-dependency sort of each module only reorders one
    # class, and the modules that hold a reference cycle come out in the same order without it (golden cases,
    # `make corpus`, GitHub's spec). It cost about 2% of the engine's time on GitHub's spec.
    "keep_model_order": False,
    # The extensions that the normalise step attaches for the templates.
    "field_extra_keys": {
        "x-codegen-pattern",
        "x-codegen-item-constraints",
        "x-codegen-key-constraints",
        "x-codegen-json-values",
    },
}


@dataclass(frozen=True)
class GenerateOptions:
    """What `generate` and `check` are asked to do."""

    spec: Path = DEFAULT_SPEC
    overlay: Path | None = DEFAULT_OVERLAY
    out: Path = DEFAULT_OUT
    package: str | None = DEFAULT_PACKAGE
    allow_external_refs: bool = False
    releases: Path | None = DEFAULT_RELEASES
    jobs: int = DEFAULT_JOBS
    """The cores the engine may use; it decides no byte of the output, so the manifest does not record it."""

    def manifest_key(self) -> dict[str, Any]:
        """The options as the manifest records them: paths relative to the output folder."""

        def relative(path: Path | None) -> str | None:
            return None if path is None else Path(os.path.relpath(path.absolute(), self.out.absolute())).as_posix()

        return {
            "spec": relative(self.spec),
            "overlay": relative(self.overlay),
            "package": self.package,
            "releases": relative(self.releases),
            "allow_external_refs": self.allow_external_refs,
        }
