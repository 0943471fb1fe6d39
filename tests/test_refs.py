"""External references: files in the spec's folder are bundled; outside it only with a flag; URLs never."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli, snapshot

HEAD = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_refs_to_files_in_the_spec_folder_are_bundled(tmp_path: Path) -> None:
    _write(
        tmp_path / "api/common/types.yaml",
        "Colour: {type: string, enum: [red, blue]}\nPaint:\n  type: object\n  properties:\n"
        "    colour: {$ref: '#/Colour'}\n",
    )
    spec = _write(
        tmp_path / "api/spec.yaml",
        HEAD + "    Car:\n      type: object\n      properties:\n        paint: {$ref: 'common/types.yaml#/Paint'}\n",
    )
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", "--package", "m")
    assert result.status == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out/m").iterdir())
    assert names == ["__init__.py", "car.py", "colour.py", "paint.py", "py.typed"]
    assert "colour: Colour | None" in (tmp_path / "out/m/paint.py").read_text()


def test_refs_outside_the_folder_need_the_flag(tmp_path: Path) -> None:
    _write(tmp_path / "shared.yaml", "Id: {type: string}\n")
    spec = _write(
        tmp_path / "api/spec.yaml",
        HEAD + "    Car:\n      type: object\n      properties:\n        id: {$ref: '../shared.yaml#/Id'}\n",
    )
    out = tmp_path / "out"
    refused = run_cli("generate", "--spec", spec, "--no-overlay", "--out", out)
    assert refused.status == 2 and refused.stderr.count("\n") == 1
    assert (
        "outside the spec's folder" in refused.stderr
        and "at /components/schemas/Car/properties/id/$ref" in refused.stderr
    )
    assert snapshot(out) == {}
    allowed = run_cli("generate", "--spec", spec, "--no-overlay", "--out", out, "--allow-external-refs")
    assert allowed.status == 0, allowed.stderr


def test_url_refs_are_always_refused(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "spec.yaml",
        HEAD + "    Car:\n      type: object\n      properties:\n"
        "        id: {$ref: 'https://example.invalid/schemas.yaml#/Id'}\n",
    )
    for extra in ([], ["--allow-external-refs"]):
        result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", *extra)
        assert result.status == 2 and "never fetches from the network" in result.stderr


def test_missing_referenced_file_is_one_line(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "spec.yaml",
        HEAD + "    Car:\n      type: object\n      properties:\n        id: {$ref: 'nope.yaml#/Id'}\n",
    )
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out")
    assert result.status == 2 and result.stderr.startswith(
        f"error: {spec} at /components/schemas/Car/properties/id/$ref"
    )
    assert "nope.yaml: no such file" in result.stderr
