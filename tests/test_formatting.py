"""Generated files look hand-written: `ruff format`, with the generated distribution's own configuration, leaves
every golden package and generated/ as they are, and the generator formats with exactly that configuration."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator import formatting
from generator.errors import CodegenError
from generator.formatting import LINE_LENGTH, QUOTE_STYLE, TARGET_VERSION, format_modules
from tests.conftest import ROOT

BIN = Path(sys.executable).parent
DISTRIBUTIONS = [
    ROOT / "generated",
    *sorted(p for p in (ROOT / "tests/golden").iterdir() if (p / "pyproject.toml").is_file()),
]


@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=lambda p: p.name)
def test_ruff_format_with_the_distributions_config_changes_nothing(distribution: Path) -> None:
    # Run inside the distribution, so that ruff reads its pyproject.toml (and no configuration of this project).
    ran = subprocess.run(
        [BIN / "ruff", "format", "--check", "--no-cache", "--diff", "."],
        cwd=distribution,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    # Not vacuous: every module was looked at (and the Markdown files, whose Python code blocks ruff formats too).
    checked = [p for p in distribution.rglob("*") if p.suffix in {".py", ".md"} and "__pycache__" not in p.parts]
    assert f"{len(checked)} files already formatted" in ran.stderr, ran.stderr


def test_the_generator_formats_with_the_generated_pyprojects_settings() -> None:
    pyproject = tomllib.loads((ROOT / "generated/pyproject.toml").read_text(encoding="utf-8"))
    ruff = pyproject["tool"]["ruff"]
    assert ruff["line-length"] == LINE_LENGTH
    assert ruff["format"]["quote-style"] == QUOTE_STYLE
    # ruff takes the target version from requires-python when the distribution names none.
    assert "target-version" not in ruff
    floor = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"])
    assert floor is not None and TARGET_VERSION == f"py{floor[1]}{floor[2]}"


def test_format_modules_lays_out_python_files_and_leaves_the_others() -> None:
    # The layout the engine's builtin formatter gave a long annotation, which ruff writes differently.
    module = (
        "class Machine(BaseModel):\n"
        "    macs: (\n"
        "        list[Annotated[str, Field(pattern=MACHINE_MACS_PATTERN)]] | None\n"
        "    ) = Field(default=None, max_length=8)\n"
    )
    files = {"machine.py": module, "py.typed": "", "notes.txt": "x = ( 1 )\n", "sub/a.py": 'x = ( "a" )\n'}
    formatted = format_modules(files, "spec.yaml")
    assert formatted["machine.py"] == (
        "class Machine(BaseModel):\n"
        "    macs: list[Annotated[str, Field(pattern=MACHINE_MACS_PATTERN)]] | None = Field(\n"
        "        default=None, max_length=8\n"
        "    )\n"
    )
    assert formatted["sub/a.py"] == "x = 'a'\n"
    assert formatted["py.typed"] == "" and formatted["notes.txt"] == "x = ( 1 )\n"
    assert list(formatted) == list(files)


def test_no_configuration_of_the_machine_changes_the_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "config" / "ruff"
    user.mkdir(parents=True)
    (user / "ruff.toml").write_text('line-length = 20\n[format]\nquote-style = "double"\n')
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 30\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("RUFF_NO_CACHE", "false")
    monkeypatch.chdir(tmp_path)
    module = "x = {'aaaa': 1, 'bbbbbbbbb': 2, 'ccccc': 3}\n"
    assert format_modules({"a.py": module}, "spec.yaml") == {"a.py": module}


def test_code_ruff_cannot_format_is_one_codegen_error() -> None:
    with pytest.raises(CodegenError, match=r"^spec.yaml: cannot format the generated modules with ruff: .*a\.py"):
        format_modules({"a.py": "class (:\n"}, "spec.yaml")


def test_a_scratch_folder_that_cannot_hold_the_modules_gives_way_to_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "full"
    not_a_folder.write_text("")
    monkeypatch.setattr(formatting, "_scratch_parents", lambda: [str(not_a_folder), str(tmp_path)])
    assert format_modules({"a.py": "x = ( 1 )\n"}, "spec.yaml") == {"a.py": "x = 1\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]  # nothing left behind
    monkeypatch.setattr(formatting, "_scratch_parents", lambda: [str(not_a_folder)])
    with pytest.raises(CodegenError, match=r"^spec.yaml: cannot format the generated modules: "):
        format_modules({"a.py": "x = ( 1 )\n"}, "spec.yaml")


def test_more_module_names_than_one_command_line_holds_are_formatted() -> None:
    """A package whose module names together pass the system's command-line limit (2 MiB here) is formatted in
    several runs of ruff, not refused with E2BIG."""
    stem = "m" * 150
    files = {f"{stem}{index}.py": "x = ( 1 )\n" for index in range(15_000)}
    assert sum(len(name) + 1 for name in files) > 2 * 1024 * 1024
    formatted = format_modules(files, "spec.yaml")
    assert set(formatted.values()) == {"x = 1\n"} and formatted.keys() == files.keys()
