"""Regeneration reuses the reference page's sections of unchanged modules (``generator.reference_page``), and the
page is byte for byte what a full generation writes.

Each test generates a spec into a folder, changes the spec, and generates again into that folder (with this
machine's record: sections may be reused) and into a copy of it with an empty local cache (everything rendered),
then compares every file. Where a test says a broken key would be caught, it breaks the key on purpose and shows
that the comparison then fails: the test can see a stale section.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import reference_page
from generator.manifest import CACHE_ENV
from tests.conftest import ROOT, run_cli, snapshot

Change = Callable[[dict[str, Any]], None]


class Folder:
    """A spec (YAML) generated once into ``out``; ``regenerate`` changes it and generates again."""

    def __init__(self, tmp: Path, spec: dict[str, Any] | Path, package: str = "models", overlay: bool = False) -> None:
        self.tmp, self.package = tmp, package
        self.spec = tmp / "case" / "spec.yaml"
        self.spec.parent.mkdir(parents=True)
        if isinstance(spec, Path):
            shutil.copyfile(spec, self.spec)
        else:
            self.spec.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        self.overlay: Path | None = None
        if overlay:
            self.overlay = tmp / "case" / "overlay.yaml"
            shutil.copyfile(ROOT / "specs/workflows.overlay.yaml", self.overlay)
        self.out = tmp / "out" / "out"
        self.parsed: _Parsed | None = None
        self.generate(self.out)

    def generate(self, out: Path, package: str | None = None) -> None:
        overlay: list[str | Path] = ["--overlay", self.overlay] if self.overlay else ["--no-overlay"]
        argv = ["generate", "--spec", self.spec, *overlay, "--out", out, "--package", package or self.package]
        result = run_cli(*argv)
        assert result.status == 0, result.stderr

    def edit(self, change: Change) -> None:
        document = yaml.safe_load(self.spec.read_text(encoding="utf-8"))
        change(document)
        self.spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def regenerate(
        self, monkeypatch: pytest.MonkeyPatch, change: Change | None = None, package: str | None = None
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Change the spec, generate into ``out`` (reuse allowed) and into a copy of it (everything rendered);
        the two trees."""
        if change is not None:
            self.edit(change)
        full = self.tmp / "full" / "out"
        shutil.rmtree(full.parent, ignore_errors=True)
        shutil.copytree(self.out, full)
        self.generate(self.out, package)
        if self.parsed is not None:
            self.parsed.counting = False  # the full generation below parses every module
        with monkeypatch.context() as patch:
            patch.setenv(CACHE_ENV, str(self.tmp / f"empty-cache-{len(list(self.tmp.glob('empty-cache-*')))}"))
            self.generate(full, package)
        return snapshot(self.out), snapshot(full)


def _schemas(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


class _Parsed:
    """Counts the modules the reference page parses (the others' sections are reused), until ``stop``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count, self.counting = 0, True
        real = reference_page.read_module

        def counting(*args: Any) -> Any:
            self.count += self.counting
            return real(*args)

        monkeypatch.setattr(reference_page, "read_module", counting)


def test_successive_regenerations_reuse_sections_and_equal_a_full_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each regeneration starts from the page the last one wrote: its sections moved (classes added before them).
    folder = Folder(tmp_path, ROOT / "specs/workflows.yaml", "nexthink_workflows", overlay=True)
    names = sorted(_schemas(yaml.safe_load(folder.spec.read_text())))
    modules = len(list((folder.out / "nexthink_workflows").glob("*.py")))
    for index, name in enumerate([names[-1], names[0], names[len(names) // 2]]):

        def change(document: dict[str, Any], name: str = name, index: int = index) -> None:
            schema = _schemas(document)[name]
            schema["description"] = f"Changed {index}."
            _schemas(document)[f"AaaAdded{index}"] = {"type": "object", "properties": {"n": {"type": "integer"}}}

        parsed = folder.parsed = _Parsed(monkeypatch)
        kept, full = folder.regenerate(monkeypatch, change)
        assert kept == full
        assert f"## AaaAdded{index}\n" in (folder.out / "REFERENCE.md").read_text()
        # in the kept folder only the changed and added modules (and `__init__`) were parsed
        assert 0 < parsed.count < modules // 2


_PATTERNS = {
    "openapi": "3.0.3",
    "info": {"title": "Codes", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Code": {"type": "object", "properties": {"value": {"type": "string", "pattern": "^a+$"}}},
            "Other": {"type": "object", "properties": {"n": {"type": "integer"}}},
        }
    },
}


def _new_regex(document: dict[str, Any]) -> None:
    _schemas(document)["Code"]["properties"]["value"]["pattern"] = "^b+$"


def test_a_section_showing_a_constant_whose_value_changed_is_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = Folder(tmp_path, _PATTERNS)
    module = (folder.out / "models" / "code.py").read_text()
    kept, full = folder.regenerate(monkeypatch, _new_regex)
    assert (folder.out / "models" / "code.py").read_text() == module  # the module's text names the constant only
    assert kept == full
    assert "'^b+$'" in (folder.out / "REFERENCE.md").read_text()


def test_a_state_that_forgets_the_constants_shown_would_be_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key broken on purpose: a state without the constants each section shows serves the old regex, and the
    comparison with a full generation sees it."""
    real = reference_page.page_state_from_json

    def forgetting(data: Any) -> Any:
        state = real(data)
        if state is None:
            return None
        modules = {path: replace(e, shown={}) for path, e in state.modules.items()}
        return replace(state, modules=modules)

    folder = Folder(tmp_path, _PATTERNS)
    monkeypatch.setattr(reference_page, "page_state_from_json", forgetting)
    monkeypatch.setattr("generator.pipeline.page_state_from_json", forgetting)
    kept, full = folder.regenerate(monkeypatch, _new_regex)
    assert kept["REFERENCE.md"] != full["REFERENCE.md"]
    assert "'^a+$'" in (folder.out / "REFERENCE.md").read_text()


def test_another_package_name_renders_every_section_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Folder(tmp_path, _PATTERNS)
    kept, full = folder.regenerate(monkeypatch, package="renamed")
    assert kept == full
    assert "module `renamed.code`" in (folder.out / "REFERENCE.md").read_text()
    # The key broken on purpose: without the package in it, the old sections (module `models.code`) are served.
    monkeypatch.setattr(reference_page, "page_key", lambda toolchain, package: toolchain)
    monkeypatch.setattr("generator.release.page_key", lambda toolchain, package: toolchain)
    folder.generate(folder.out, "models")  # a record made with the broken key
    kept, full = folder.regenerate(monkeypatch, package="again")
    assert kept["REFERENCE.md"] != full["REFERENCE.md"]


def test_a_changed_module_is_never_taken_from_the_last_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Folder(tmp_path, _PATTERNS)

    def described(document: dict[str, Any]) -> None:
        _schemas(document)["Other"]["properties"]["n"]["description"] = "Now described."

    kept, full = folder.regenerate(monkeypatch, described)
    assert kept == full
    assert "Now described." in (folder.out / "REFERENCE.md").read_text()
    # The key broken on purpose: every module's digest the same, a changed module's old section is served.
    monkeypatch.setattr(reference_page, "_module_digest", lambda text: "same")
    folder.generate(folder.out)  # a record made with the broken digests

    def redescribed(document: dict[str, Any]) -> None:
        _schemas(document)["Other"]["properties"]["n"]["description"] = "Described again."

    kept, full = folder.regenerate(monkeypatch, redescribed)
    assert kept["REFERENCE.md"] != full["REFERENCE.md"]


def test_a_hand_edited_page_is_never_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Folder(tmp_path, _PATTERNS)
    page = folder.out / "REFERENCE.md"
    text = page.read_text()
    page.write_text(text.replace("`n`", "`N`"), encoding="utf-8")  # same length: the offsets would still fit
    parsed = folder.parsed = _Parsed(monkeypatch)
    kept, full = folder.regenerate(monkeypatch, lambda d: _schemas(d)["Code"].update(description="A code."))
    assert kept == full
    assert "`N`" not in page.read_text()
    assert parsed.count == len(list((folder.out / "models").glob("*.py")))  # nothing taken from the edited page


def test_the_state_round_trips_and_malformed_states_are_refused() -> None:
    entry = reference_page.ModuleEntry("d", {"P": "^a$"}, (("pydantic", "BaseModel", 0),), (("A", 0, 5),), {"P": None})
    state = reference_page.PageState("k", "digest", 12, {"a.py": entry, "b.py": replace(entry, sections=None)})
    assert reference_page.page_state_from_json(reference_page.page_state_to_json(state)) == state
    good = reference_page.page_state_to_json(state)
    for broken in [
        None,
        [],
        {**good, "version": 99},
        {**good, "start": "12"},
        {**good, "modules": {"a.py": ["d", {}, [], [["A", 5, 1]], {}]}},
        {**good, "modules": {"a.py": ["d", {}, [1], None, {}]}},
        {**good, "imports": [["m", "n"]]},
        {**good, "modules": {"a.py": ["d", {"P": 1}, [], None, {}]}},
    ]:
        assert reference_page.page_state_from_json(broken) is None


def test_sections_holding_the_separator_are_rendered_one_by_one() -> None:
    from generator.reference import ClassDoc
    from generator.release import _environment, _section_renderer

    template = _environment().get_template("reference_sections.md.jinja2")
    render = _section_renderer(template, "pkg")
    classes = [ClassDoc("A", "a", "BaseModel", "Plain."), ClassDoc("B", "b", "BaseModel", "Holds \x00 a NUL.")]
    alone = [template.render(classes=[doc], package="pkg", separator="") for doc in classes]
    assert render(classes) == alone and "\x00" in alone[1]
    assert render(classes[:1]) == alone[:1] and render([]) == []
