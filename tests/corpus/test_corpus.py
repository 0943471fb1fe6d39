"""The fast subset of the corpus holds to the bar (or fails exactly where known_failures.toml says), and the bar and
the fetcher themselves can fail: a broken package is caught at each step, a tarball off its pin is refused.

The fast subset: every Nexthink API and the npm documents marked ``fast`` in pins.toml (fetched into the cache when
missing). `make corpus` runs the whole corpus.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from tests.bar import PACKAGE, STEPS, BarResult, _check_runtime, _check_static, first_error_line
from tests.corpus import fetch as fetching
from tests.corpus.run import (
    Expectation,
    corpus,
    expectations,
    judge,
    nexthink_apis,
    run_document,
)

FAST = [f"nexthink-{api}" for api in nexthink_apis()] + [p.name for p in fetching.load_pins() if p.fast]
ALL = [f"nexthink-{api}" for api in nexthink_apis()] + [p.name for p in fetching.load_pins()]


@pytest.mark.parametrize("name", FAST)
def test_fast_corpus_document_meets_the_bar_or_fails_exactly_as_known(name: str) -> None:
    (document,) = corpus(fast=True, names=[name])
    result = run_document(document)
    assert judge(result, expectations().get(name)) is None, result


def test_known_failures_name_corpus_documents_steps_and_reasons() -> None:
    known = expectations()
    assert set(known) <= set(ALL), set(known) - set(ALL)
    for name, expected in known.items():
        assert expected.step in ("ingest", *STEPS), name
        assert expected.error and expected.reason, name


def test_judge_is_strict_both_ways() -> None:
    known = Expectation("mypy", "Incompatible types", "why")
    failing = BarResult("doc", "mypy", "x.py:1: error: Incompatible types in assignment")
    assert judge(failing, known) is None
    assert "now passes" in str(judge(BarResult("doc"), known))
    assert "failed at ruff" in str(judge(replace(failing, step="ruff"), known))
    assert "not a known failure" in str(judge(failing, None))
    assert judge(BarResult("doc"), None) is None


def _package(root: Path, source: str) -> Path:
    package = root / "out" / PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(source))
    return root / "out"


@pytest.mark.parametrize(
    ("source", "step", "error"),
    [
        ("import warnings\nwarnings.warn('at import')\n", "import", "UserWarning: at import"),
        ("__all__ = ['Missing']\n", "exports", "names 'Missing'"),
        (
            "from pydantic import BaseModel\nclass A(BaseModel):\n    x: int\nB = A\n__all__ = ['A', 'B']\n",
            "exports",
            "two classes share its name",
        ),
        (
            "from collections.abc import Callable\nfrom pydantic import BaseModel\n"
            "class A(BaseModel):\n    f: Callable[[], int] | None = None\n__all__ = ['A']\n",
            "schemas",
            "PydanticInvalidForJsonSchema",
        ),
        (
            "from pydantic import BaseModel\nclass Pet(BaseModel):\n    age: int\n__all__ = ['Pet']\n",
            "examples",
            "pet -> Pet: pydantic_core._pydantic_core.ValidationError",
        ),
    ],
)
def test_the_bar_catches_a_broken_package_at_each_runtime_step(
    source: str, step: str, error: str, tmp_path: Path
) -> None:
    out = _package(tmp_path, source)
    found_step, found_error, _ = _check_runtime(out, [("pet", {"age": "old"})], tmp_path)
    assert (found_step, error in found_error) == (step, True), found_error


def test_the_bar_runs_ruff_mypy_strict_and_the_layout_check(tmp_path: Path) -> None:
    out = _package(tmp_path, "import os\n")
    assert _check_static(out, tmp_path)[0] == "ruff"
    shutil.rmtree(out)
    out = _package(tmp_path, "def f(x):\n    return x\n")
    step, error, _ = _check_static(out, tmp_path)
    assert step == "mypy" and "missing a type annotation" in error
    shutil.rmtree(out)
    out = _package(tmp_path, "x = ( 1 )\n")
    step, error, _ = _check_static(out, tmp_path)
    assert step == "format" and "would be reformatted" in error, error


def test_a_clean_package_passes_every_runtime_step(tmp_path: Path) -> None:
    out = _package(tmp_path, "from pydantic import BaseModel\nclass Pet(BaseModel):\n    age: int\n__all__ = ['Pet']\n")
    assert _check_runtime(out, [("Pet", {"age": 3})], tmp_path) == (None, "", 1)


def test_first_error_line_takes_a_tracebacks_exception() -> None:
    text = "Traceback (most recent call last):\n  File 'x'\nTypeError: unhashable type: 'list'\n"
    assert first_error_line(text) == "TypeError: unhashable type: 'list'"
    assert first_error_line("note\nerror: spec.yaml at /x: bad\n") == "error: spec.yaml at /x: bad"
    warned = "/site/x.py:3: UserWarning: an error, maybe\n  call(error)\nModels not found\n"
    assert first_error_line(warned) == "Models not found"


def test_a_tarball_that_does_not_match_its_pin_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (pin,) = [p for p in fetching.load_pins() if p.name == "scalar-galaxy"]
    bad = replace(pin, integrity="sha512-" + "A" * 86 + "==")
    cache = fetching.cache_dir()
    fetching.fetch([pin])  # the genuine tarball, in the shared cache
    (tmp_path / "tarballs").mkdir()
    shutil.copy(cache / "tarballs" / pin.tarball, tmp_path / "tarballs" / pin.tarball)
    with pytest.raises(RuntimeError, match="does not match the pin"):
        fetching.fetch([bad], tmp_path)
    assert not (tmp_path / "docs").exists()
    # The genuine pin verifies the copied tarball and extracts from it without running npm at all.
    monkeypatch.setattr(fetching.subprocess, "run", None)
    assert fetching.fetch([pin], tmp_path)[pin.name].is_file()
