"""The faster code paths of #13 give exactly what the slower ones gave.

Each test compares a shortcut with the plain computation it replaced (``copy.deepcopy``, three parses of each
module, one walk per audit check), on inputs chosen where a careless shortcut would differ.
"""

from __future__ import annotations

import ast
import copy
import datetime
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from generator.errors import CodegenError
from generator.normalise import normalise
from generator.normalise.schemas import copy_document
from generator.normalise.values import _plainly_valid_default
from generator.reference import read_package
from generator.release import runtime_requirements
from generator.render import _audit, _walk
from generator.write import write_tree


def test_document_copy_is_what_deepcopy_gives() -> None:
    shared = {"type": "string", "enum": ["a", "b"]}
    loop: list[object] = []
    loop.append(loop)
    document = {
        "a": shared,
        "b": [shared, {"c": shared}],
        "when": datetime.date(2024, 1, 2),
        "raw": b"\x00",
        "numbers": [1, 2.5, True, None],
        3: "an integer key",
        "loop": loop,
    }
    fast, slow = copy_document(document, {}), copy.deepcopy(document)
    assert repr(fast) == repr(slow)
    # A node reached twice (a YAML alias) is copied once and shared in the copy, as deepcopy shares it.
    assert fast["a"] is fast["b"][0] is fast["b"][1]["c"]
    assert fast["a"] is not shared
    assert fast["loop"][0] is fast["loop"] and fast["loop"] is not loop
    fast["a"]["type"] = "integer"
    assert shared["type"] == "string"
    assert fast["raw"] == b"\x00" and fast["when"] == datetime.date(2024, 1, 2)


_PATTERNS = '"""Patterns."""\n\nA_PATTERN = "^a$"\nZ_PATTERN = "^z$"\n'
_MODULE = '''"""M."""

from __future__ import annotations

from pydantic import BaseModel, EmailStr, Field

from ._patterns import A_PATTERN, Z_PATTERN


class M(BaseModel):
    """A model."""

    a: str = Field(..., pattern=A_PATTERN, max_length=3)
    z: EmailStr | None = Field(None, pattern=Z_PATTERN, description="zed")
'''


def test_reference_sees_constants_of_modules_read_after_the_class() -> None:
    # "m.py" sorts before "z_patterns.py": the constants are only known once every module was read.
    files = {"pkg/m.py": _MODULE.replace("._patterns", ".z_patterns"), "pkg/z_patterns.py": _PATTERNS}
    docs = read_package(files).classes
    assert [f.constraints for f in docs[0].fields] == [
        ["pattern=A_PATTERN = '^a$'", "max_length=3"],
        ["pattern=Z_PATTERN = '^z$'"],
    ]


def test_requirements_from_the_shared_parse_match_a_fresh_one() -> None:
    files = {"pkg/m.py": _MODULE, "pkg/_patterns.py": _PATTERNS, "pkg/py.typed": ""}
    facts = read_package(files)
    assert runtime_requirements(files, facts.imports) == runtime_requirements(files) == ["pydantic[email]>=2"]
    with pytest.raises(CodegenError, match="'requests'"):
        runtime_requirements({"a.py": "import requests\n"}, read_package({"a.py": "import requests\n"}).imports)


@pytest.mark.parametrize(
    ("code", "refusal"),
    [
        # Two faults in one module: the one a walk per check found first is still the one reported.
        ("import os\nclass A:\n    x = eval\n", "imports 'os'"),
        ("class A:\n    x = eval\n    y = A.__class__\n", "unknown name 'eval'"),
        ("class A:\n    y = A.__class__\n    x = eval\n", "attribute '__class__'"),
        ("class A:\n    y = A.__class__\n    print(1)\n", "line 3.* holds a Expr statement"),
        ("class A:\n    def f(self):\n        while x: pass\n    z = open\n", "holds a While statement"),
        ("x = __import__\nclass B:\n    y = x.__dict__\n", "unknown name '__import__'"),
        ("class A:\n    for i in []: pass\n", "holds a For statement"),
        ("f = lambda: 1\nclass A:\n    x = eval\n", "Lambda"),
    ],
)
def test_audit_reports_the_first_fault_in_walk_order(code: str, refusal: str) -> None:
    with pytest.raises(CodegenError, match=refusal):
        _audit(ast.parse(code), "m", frozenset(), "spec.yaml")


def test_audit_returns_the_names_the_module_reads() -> None:
    tree = ast.parse("from pydantic import BaseModel\nclass A(BaseModel):\n    x: list[str] = Field(...)\n")
    assert _audit(tree, "m", frozenset(), "spec.yaml") == {"BaseModel", "list", "str", "Field"}


def test_written_tree_holds_every_file(tmp_path: Path) -> None:
    files = {f"pkg/sub{i % 3}/m{i}.py": f"x = {i}\n" for i in range(50)} | {"README.md": "r\n"}
    write_tree(tmp_path / "out", files)
    found = {p.relative_to(tmp_path / "out").as_posix(): p.read_text() for p in (tmp_path / "out").rglob("*.*")}
    assert {k: v for k, v in found.items() if not k.startswith(".")} == files


_PLAIN_DEFAULTS = [
    {"type": "array", "items": {"type": "string", "minLength": 3}, "maxItems": 5, "default": []},
    {"type": ["array", "null"], "uniqueItems": True, "default": [], "x-note": 1, "description": "d"},
    {"default": []},
    {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": False, "default": {}},
    {"type": "object", "maxProperties": 0, "default": {}},
    {"type": "string", "default": "open", "description": "d", "x-note": 1},
    {"type": "string", "enum": ["open", "closed"], "default": "closed"},
    {"type": ["string", "null"], "nullable": True, "default": ""},
    {"type": "boolean", "default": False},
    {"type": "integer", "default": 3},
    {"type": "number", "default": 3},
    {"type": "number", "default": 2.5},
    {"enum": ["a", 1], "default": "a"},
    {"default": 7},
    {"type": "array", "items": {"type": "string"}, "default": ["push"], "description": "d"},
    {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}, "minItems": 1, "default": [[1, 2]]},
    {"type": "array", "uniqueItems": True, "maxItems": 1, "default": ["a"]},
    {"type": "string", "format": "date", "default": "x"},
    {"type": "string", "format": "uri", "maxLength": 140, "default": ""},
    {"type": "string", "minLength": 1, "maxLength": 3, "default": "abc"},
]
# Not plainly valid: the validator decides (and finds these invalid, or needs a look).
_ASKED_DEFAULTS = [
    {"type": "array", "minItems": 1, "default": []},
    {"type": "object", "required": ["a"], "default": {}},
    {"type": "string", "default": []},
    {"type": "array", "default": {}},
    {"type": "array", "allOf": [{"minItems": 1}], "default": []},
    {"type": "array", "enum": [["a"]], "default": []},
    {"type": "integer", "default": True},
    {"type": "integer", "default": 2.0},
    {"type": "integer", "default": 2.5},
    {"type": "number", "default": False},
    {"type": "boolean", "default": 0},
    {"type": "string", "default": 1},
    {"type": "string", "enum": ["open"], "default": "shut"},
    {"type": "integer", "enum": [1, 2], "default": 1},
    {"type": "integer", "enum": [True], "default": 1},
    {"type": "string", "minLength": 5, "default": "abc"},
    {"type": "string", "maxLength": 2, "default": "abc"},
    {"type": "integer", "maxLength": 2, "default": 3},
    {"type": "array", "items": {"type": "string", "pattern": "^a$"}, "default": ["b"]},
    {"type": "array", "items": {"type": "integer"}, "default": [1, True]},
    {"type": "array", "uniqueItems": True, "default": ["a", "a"]},
    {"type": "array", "maxItems": 1, "default": ["a", "b"]},
    {"type": "array", "items": {"type": "object", "required": ["a"]}, "default": [{}]},
    {"type": "array", "items": {"type": "string"}, "prefixItems": [{"type": "integer"}], "default": ["a"]},
    {"type": "string", "pattern": "^a$", "default": "b"},
    {"type": "integer", "maximum": 1, "default": 2},
    {"type": "string", "allOf": [{"maxLength": 1}], "default": "ab"},
]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("schema", _PLAIN_DEFAULTS + _ASKED_DEFAULTS)
def test_a_default_judged_without_the_validator_is_one_the_validator_accepts(
    schema: dict[str, Any], version: str
) -> None:
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    if version.startswith("3.0") and isinstance(schema.get("type"), list):
        pytest.skip("3.0 has no type lists")
    validator = (OAS31Validator if version.startswith("3.1") else OAS30Validator)(schema)
    valid = next(iter(validator.iter_errors(schema["default"])), None) is None
    if _plainly_valid_default(schema):
        assert valid
    spec = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}}
    spec["components"] = {"schemas": {"Thing": {"type": "object", "properties": {"p": schema}}}}
    if valid:
        normalise(spec, "spec.yaml")
    else:
        with pytest.raises(CodegenError, match="does not match its schema"):
            normalise(spec, "spec.yaml")


def test_the_shortcut_takes_the_plain_defaults_and_asks_about_the_others() -> None:
    assert [_plainly_valid_default(s) for s in _PLAIN_DEFAULTS] == [True] * len(_PLAIN_DEFAULTS)
    assert [_plainly_valid_default(s) for s in _ASKED_DEFAULTS] == [False] * len(_ASKED_DEFAULTS)


def test_plain_defaults_do_not_load_the_validator() -> None:
    code = (
        "import sys\nfrom generator.normalise import normalise\n"
        "schema = {'type': 'array', 'items': {'type': 'string'}, 'maxItems': 3, 'default': []}\n"
        "state = {'type': 'string', 'enum': ['open', 'closed'], 'default': 'open'}\n"
        "spec = {'openapi': '3.0.3', 'info': {'title': 't', 'version': '1'}, 'paths': {},\n"
        "        'components': {'schemas': {'T': {'type': 'object', 'properties': {'p': schema, 's': state,\n"
        "                                 'n': {'type': 'integer', 'default': 0}}}}}}\n"
        "normalise(spec, 's')\n"
        "print('openapi_schema_validator' in sys.modules)\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert ran.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("extra", "also_unused"), [([], ()), (["--no-overlay"], ("jsonpath_rfc9535", "generator.overlay"))]
)
def test_generate_does_not_import_what_only_other_commands_use(
    tmp_path: Path, extra: list[str], also_unused: tuple[str, ...]
) -> None:
    unused = (
        "generator.diff",
        "generator.dist",
        "generator.report",
        "generator.ingest",
        "generator.api_diff",
        "openapi_schema_validator",
        "urllib.request",
        *also_unused,
    )
    code = (
        "import sys\nfrom generator.cli import main\n"
        f"status = main(['generate', '--out', {str(tmp_path / 'out')!r}, *{extra!r}])\n"
        f"print(status, [m for m in {unused!r} if m in sys.modules])\n"
    )
    root = Path(__file__).resolve().parent.parent
    ran = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300, check=False
    )
    assert ran.stdout.strip().splitlines()[-1] == "0 []", ran.stdout + ran.stderr


_NESTED = """
import a
try:
    import b
except ImportError:
    from c import d
else:
    import e
finally:
    from .f import g
def h():
    import i
    class J:
        from k import (l as m, n)
match x:
    case 1:
        import o
    case _:
        if y:
            import p
while z:
    with q:
        import r
x = [s for s in (lambda: 1,)]
"""


def test_walks_meet_nodes_in_ast_walk_order() -> None:
    for source in (_NESTED, _MODULE, _PATTERNS, Path(ast.__file__).read_text(encoding="utf-8")):
        tree = ast.parse(source)
        assert [id(n) for n in _walk(tree)] == [id(n) for n in ast.walk(tree)]
        expected = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                expected += [(node.module, alias.name, node.level) for alias in node.names]
            elif isinstance(node, ast.Import):
                expected += [(alias.name, "", 0) for alias in node.names]
        assert read_package({"m.py": source}).imports["m.py"] == expected


def test_every_profiled_stage_shows_in_a_profile_of_the_workflows_spec() -> None:
    """The profile in `make bench` finds each stage by file, function and caller; a renamed function or a new
    caller would drop the stage (and everything under it) from the table without an error."""
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "benchmarks"))
    try:
        from stages import STAGES, profile_once  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(root / "benchmarks"))
    partial = "partial rendering (modules kept)"
    with tempfile.TemporaryDirectory() as scratch:
        # A first generation renders in full; a second into the same folder keeps modules.
        full = profile_once(["--out", str(Path(scratch) / "out")], Path(scratch) / "cache")
        again = profile_once(["--out", str(Path(scratch) / "out")], Path(scratch) / "cache")
    shown = {row["stage"] for row in full["stages"]}
    assert {label for label, _, _ in STAGES} - {partial} <= shown
    assert partial in {row["stage"] for row in again["stages"]}


def test_the_engine_alone_of_make_bench_runs_on_the_workflows_spec() -> None:
    """`make bench` times `benchmarks/engine_alone.py` as the floor beside both commands: a script that broke
    (an engine call renamed, an input no longer picklable) would only show when the benchmark is run."""
    root = Path(__file__).resolve().parent.parent
    script = root / "benchmarks" / "engine_alone.py"
    with tempfile.TemporaryDirectory() as scratch:
        pickled = Path(scratch) / "input.pickle"
        spec, overlay = root / "specs" / "workflows.yaml", root / "specs" / "workflows.overlay.yaml"
        subprocess.run([sys.executable, script, "prepare", spec, overlay, pickled], check=True, cwd=scratch)
        run = [sys.executable, script, "run", pickled]
        ran = subprocess.run(run, check=False, capture_output=True, text=True, cwd=scratch)
        assert (ran.returncode, ran.stderr) == (0, "")
        # An input the engine makes nothing of fails the run, so a floor is never timed on an empty call.
        pickled.write_bytes(pickle.dumps(({"openapi": "3.0.3"}, {}, "empty.yaml")))
        assert subprocess.run(run, check=False, capture_output=True, cwd=scratch).returncode != 0
