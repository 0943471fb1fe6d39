"""Release: versions, the release history under ``specs/releases/``, and the files of the distribution.

``specs/releases/index.yaml`` lists every release (version, time as a Unix epoch, bump, changelog notes) and
``specs/releases/<version>.yaml`` holds the effective spec that release was generated from. `generate` renders
the distribution files (``pyproject.toml``, ``README.md``, ``LICENSE``, ``CHANGELOG.md``, ``REFERENCE.md``) from the
same inputs, so they are as reproducible as the models. Before the first release the version is ``0.0.0``; the
first release is ``1.0.0`` (the models reproduce an API already in use; semantic versioning holds from the start).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.documents import collector_paused, read_document
from generator.errors import CodegenError
from generator.manifest import toolchain_fingerprint
from generator.reference import ClassDoc, read_package
from generator.reference_page import PageState, PreviousPage, Read, build_page, page_key
from generator.templating import compile_all, document_environment

__all__ = [
    "FIRST_VERSION",
    "REFERENCE",
    "UNRELEASED_EPOCH",
    "UNRELEASED_VERSION",
    "History",
    "Release",
    "changelog_notes",
    "compile_document_templates",
    "distribution",
    "distribution_files",
    "load_history",
    "next_version",
    "runtime_requirements",
]

REFERENCE = "REFERENCE.md"
"""The reference page's path in the distribution (kept section by section: ``generator.reference_page``)."""

FIRST_VERSION = "1.0.0"
UNRELEASED_VERSION = "0.0.0"
UNRELEASED_EPOCH = 315532800
"""1980-01-01, the earliest time a zip archive can hold: the build time of an unreleased package."""
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
# The distribution that provides each third-party module the generated code may import.
_DISTRIBUTIONS = {
    "pydantic": "pydantic>=2",
    "annotated_types": "annotated-types",
    "typing_extensions": "typing-extensions",
    "pydantic_extra_types": "pydantic-extra-types",
}
_SEPARATOR = "\x00"
"""Put before each section of the reference page when they are rendered together, to split them apart."""
# Names whose use needs an extra of their distribution: `EmailStr` validates through `email-validator`.
_EXTRAS = {("pydantic", "EmailStr"): "email", ("pydantic", "NameEmail"): "email"}


@dataclass(frozen=True)
class Release:
    version: str
    epoch: int
    bump: str
    notes: str

    def as_yaml(self) -> dict[str, Any]:
        return {"version": self.version, "epoch": self.epoch, "bump": self.bump, "notes": self.notes}


@dataclass
class History:
    releases: list[Release] = field(default_factory=list)

    @property
    def version(self) -> str:
        return self.releases[-1].version if self.releases else UNRELEASED_VERSION

    @property
    def epoch(self) -> int:
        return self.releases[-1].epoch if self.releases else UNRELEASED_EPOCH


def load_history(folder: Path | None) -> History:
    """The release history in ``folder`` (``index.yaml``); empty when there is none."""
    if folder is None or not (folder / "index.yaml").exists():
        return History()
    index = folder / "index.yaml"
    data = read_document(index)
    raw = data.get("releases")
    if not isinstance(raw, list):
        raise CodegenError(index, "expected a list of releases", "/releases")
    releases = []
    for position, entry in enumerate(raw):
        where = f"/releases/{position}"
        if not isinstance(entry, dict) or not _VERSION.match(str(entry.get("version", ""))):
            raise CodegenError(index, "a release needs a version MAJOR.MINOR.PATCH", where)
        if not isinstance(entry.get("epoch"), int) or not isinstance(entry.get("notes", ""), str):
            raise CodegenError(index, "a release needs an integer epoch and text notes", where)
        releases.append(
            Release(str(entry["version"]), entry["epoch"], str(entry.get("bump", "")), entry.get("notes", ""))
        )
    return History(releases)


def next_version(current: str, bump: str) -> str:
    """The version after ``current`` for a bump (``major``, ``minor``, ``patch``); the first release is 1.0.0."""
    if current == UNRELEASED_VERSION:
        return FIRST_VERSION
    match = _VERSION.match(current)
    if not match:
        raise CodegenError("specs/releases/index.yaml", f"version {current!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(part) for part in match.groups())
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def toml_string(text: object) -> str:
    """A TOML basic string holding ``text``: quotes, backslashes and every control character escaped."""
    escaped = []
    for char in str(text):
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def changelog_notes(changes: list[Any], python_api: list[Any], *, first: bool, title: str, spec_version: str) -> str:
    """The changelog entry of one release, in Markdown: breaking changes first."""
    template = _environment().get_template("changelog_entry.md.jinja2")
    text = template.render(changes=changes, python_api=python_api, first=first, title=title, spec_version=spec_version)
    return text.strip()


def compile_document_templates() -> None:
    """Compile the distribution's templates ahead of use (`generator.templating.compile_all`)."""
    compile_all(_environment())


def _environment() -> jinja2.Environment:
    env = document_environment("dist")
    env.filters["toml"] = toml_string
    return env


def runtime_requirements(
    models: dict[str, str], imports: dict[str, list[tuple[str, str, int]]] | None = None
) -> list[str]:
    """The requirements of the generated package, read from the imports of its modules: one per third-party
    distribution, with the extras the imported names need (``pydantic[email]>=2`` for ``EmailStr``).
    ``imports``: the modules' imports when the caller has already read them (`read_package`)."""
    if imports is None:
        imports = read_package(models).imports
    extras: dict[str, set[str]] = {}
    for path, found in sorted(imports.items()):
        for module, imported, level in found:
            if level:
                continue
            top, name = module.split(".")[0], imported
            if top == "__future__" or top in sys.stdlib_module_names:
                continue
            if top not in _DISTRIBUTIONS:
                raise CodegenError(path, f"the generated code imports {top!r}, which no known distribution provides")
            extras.setdefault(top, set())
            if (top, name) in _EXTRAS:
                extras[top].add(_EXTRAS[top, name])
    requirements = []
    for top, needed in sorted(extras.items()):
        name, _, version = _DISTRIBUTIONS[top].partition(">=")
        extra = f"[{','.join(sorted(needed))}]" if needed else ""
        requirements.append(f"{name}{extra}{'>=' + version if version else ''}")
    return requirements


def _toml_key(label: str) -> str:
    """A TOML key: bare when it is one (letters, digits, ``_``, ``-``), else a quoted string."""
    return label if re.fullmatch(r"[A-Za-z0-9_-]+", label) else toml_string(label)


def distribution_files(
    package: str, title: str, models: dict[str, str], history: History, urls: dict[str, str] | None = None
) -> dict[str, str]:
    """The files around the package: metadata, readme, licence, changelog and reference, keyed by path;
    ``urls`` (label → URL) are the project URLs of its metadata."""
    return distribution(package, title, models, history, urls)[0]


def distribution(
    package: str,
    title: str,
    models: dict[str, str],
    history: History,
    urls: dict[str, str] | None = None,
    previous: PreviousPage | None = None,
    read: Read | None = None,
    toolchain: str | None = None,
) -> tuple[dict[str, str], PageState]:
    """`distribution_files`, and what the next generation can reuse of the reference page: the sections of the
    modules whose text is the one ``previous`` recorded are taken from its page (`generator.reference_page`);
    ``read``: modules already read for it, by path (the text read and its facts); ``toolchain``: the
    `toolchain_fingerprint` when the caller has it already.
    Runs without the cycle collector, as `read_package` does: rendering the reference page of a big package
    allocates as much as reading it."""
    with collector_paused():
        return _distribution_files(package, title, models, history, urls, previous, read, toolchain)


def _section_renderer(template: jinja2.Template, package: str) -> Callable[[list[ClassDoc]], list[str]]:
    """The reference page's section of each class of a list: one rendering of the list with a separator before
    each section, split there; when a section holds the separator itself (the parts do not come out one per class),
    each class is rendered on its own instead."""

    def render(classes: list[ClassDoc]) -> list[str]:
        parts = template.render(classes=classes, package=package, separator=_SEPARATOR).split(_SEPARATOR)
        if len(parts) == len(classes) + 1 and not parts[0]:
            return parts[1:]
        return [template.render(classes=[doc], package=package, separator="") for doc in classes]

    return render


def _distribution_files(
    package: str,
    title: str,
    models: dict[str, str],
    history: History,
    urls: dict[str, str] | None,
    previous: PreviousPage | None,
    read: Read | None,
    toolchain: str | None,
) -> tuple[dict[str, str], PageState]:
    env = _environment()
    context: dict[str, Any] = {
        "urls": [(_toml_key(label), url) for label, url in (urls or {}).items()],
        "package": package,
        "distribution": package.replace("_", "-"),
        "title": " ".join(title.split()),
        "version": history.version,
        "releases": list(reversed(history.releases)),
    }
    header = env.get_template("REFERENCE.md.jinja2").render(**context)
    sections = _section_renderer(env.get_template("reference_sections.md.jinja2"), package)
    key = page_key(toolchain or toolchain_fingerprint(), package)
    page = build_page(models, key, header, sections, previous, read)
    context["first_class"] = page.first_class
    context["requirements"] = runtime_requirements(models, page.imports)
    files = {
        name: env.get_template(f"{name}.jinja2").render(**context)
        for name in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md")
    }
    files[REFERENCE] = page.text
    return files, page.state
