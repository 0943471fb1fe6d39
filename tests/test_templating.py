"""The project's own templates compiled in one process are used by another (`generator.templating`), and never
stand in for a template whose source changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator import release, render, templating
from generator.workers import can_fork, run_beside


def _count_compilations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return compiled


def _compile_here() -> dict[str, bytes]:
    render.compile_package_templates()
    release.compile_document_templates()
    return templating.COMPILED.store


@pytest.mark.skipif(not can_fork(), reason="the templates are compiled in a forked process (Linux)")
def test_templates_compiled_in_another_process_are_not_compiled_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating.COMPILED, "store", {})
    handed = run_beside(_compile_here, lambda: None)
    assert handed
    compiled = _count_compilations(monkeypatch)
    templating.take_compiled(handed)
    _compile_here()
    assert compiled == []


def test_without_them_every_template_is_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating.COMPILED, "store", {})
    compiled = _count_compilations(monkeypatch)
    _compile_here()
    assert "module.py.jinja2" in compiled and "REFERENCE.md.jinja2" in compiled


def test_a_template_whose_source_changed_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating.COMPILED, "store", {})
    template = tmp_path / "t.jinja2"

    def rendered() -> str:
        loader = jinja2.FileSystemLoader(tmp_path)
        return jinja2.Environment(loader=loader, bytecode_cache=templating.COMPILED).get_template("t.jinja2").render()

    template.write_text("one", encoding="utf-8")
    assert rendered() == "one" and templating.COMPILED.store
    template.write_text("two", encoding="utf-8")
    assert rendered() == "two"
