"""The faster code paths of #13 give exactly what the slower ones gave.

Each test compares a shortcut with the plain computation it replaced (``copy.deepcopy``, three parses of each
module, one walk per audit check), on inputs chosen where a careless shortcut would differ.
"""

from __future__ import annotations

import ast
import copy
import datetime
from pathlib import Path

import pytest

from generator.errors import CodegenError
from generator.normalise import _copy_document
from generator.reference import read_package
from generator.release import runtime_requirements
from generator.render import _audit
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
    fast, slow = _copy_document(document, {}), copy.deepcopy(document)
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
