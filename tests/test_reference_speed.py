"""The shortcuts of `generator.reference` (#13) give exactly what the plain computations they replaced give:
``ast.unparse`` and ``repr(ast.literal_eval(...))`` remembered by source text, the import walk that skips
statements holding no statement, and the cycle collector paused while a package is read."""

from __future__ import annotations

import ast
import gc

import pytest

from generator import reference
from generator.documents import collector_paused
from generator.reference import _imports, _Source, combine_modules, read_module, read_package

_TRICKY = '''"""Modèle — non-ASCII text before expressions on the same line: character and byte offsets differ."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

É = "é"


class Ünïcode(BaseModel):
    """Dès."""

    é: Annotated[str, "ü"] = Field(default="ß", max_length=3, description="ça")
    b: Literal["x", 'y'] | None = Field(default_factory=list, pattern=É)
    c: dict[
        str,
        int,  # a comment inside
    ] = {"k": (1, 2)}
    d: "Forward" = Field(default=-1.5e3, ge=-(2), le=0x10)
    e: Literal["x", "y"] | None = ...
    f: list[str] = Field(default_factory=lambda: ["a" "b"])
    g: int = Field(default=1 + 2)
    MEMBER = ("tup", None)
    OTHER = "héllo"
'''


def _plain_literal(node: ast.expr) -> str:
    try:
        return repr(ast.literal_eval(node))
    except ValueError:
        return ast.unparse(node)


def _expressions(tree: ast.AST) -> list[ast.expr]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.expr)]


@pytest.mark.parametrize("text", [_TRICKY, _TRICKY.replace("\n", "\r\n"), _TRICKY.replace("\n", "\r")])
def test_remembered_unparse_and_literals_are_the_plain_ones(text: str) -> None:
    memo: dict[tuple[bool, bytes], str] = {}
    for _ in range(2):  # the second round is answered from the memo
        tree = ast.parse(text)
        source = _Source(text, memo)
        for node in _expressions(tree):
            assert source.unparse(node) == ast.unparse(node)
            assert source.literal(node) == _plain_literal(node)
    if text is _TRICKY:
        assert memo  # the memo is used for a plain text...
    else:
        assert not memo  # ...and never where the parser's lines or offsets could differ from ours


def test_the_memo_is_shared_across_modules_without_mixing_them() -> None:
    # The same source text in two modules is one entry; texts that unparse alike stay separate entries.
    one = "class A:\n    a: Literal['x'] = 'x'\n"
    two = 'class B:\n    b: Literal["x"] = "x"\n    c: Literal[\'x\'] = 1\n'
    memo: dict[tuple[bool, bytes], str] = {}
    for text in (one, two):
        source = _Source(text, memo)
        for node in _expressions(ast.parse(text)):
            assert source.unparse(node) == ast.unparse(node)
    assert memo[False, b"Literal['x']"] == memo[False, b'Literal["x"]'] == "Literal['x']"


_NESTED_IMPORTS = """
import a
if x:
    import b
    from .c import d
else:
    from e import f, g
try:
    import h
except ImportError:
    from i import j
else:
    import k
finally:
    import l
try:
    pass
except* ValueError:
    import m
with ctx():
    import n
for _ in y:
    import o
while z:
    from p import q
def fn():
    import r
    class Inner:
        from s import t
async def afn():
    async with c:
        import u
    async for _ in v:
        import w
match value:
    case 1:
        import x1
    case _:
        from . import y1
class Outer:
    import z1
from __future__ import annotations
"""


def test_the_import_walk_meets_imports_in_ast_walk_order() -> None:
    tree = ast.parse(_NESTED_IMPORTS)
    expected: list[tuple[str, str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            expected += [(node.module, alias.name, node.level) for alias in node.names]
        elif isinstance(node, ast.Import):
            expected += [(alias.name, "", 0) for alias in node.names]
    assert _imports(tree) == expected and len(expected) == 20


def test_a_package_is_read_without_the_cycle_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real_parse = ast.parse

    def spy(text: str) -> ast.Module:
        seen.append(gc.isenabled())
        return real_parse(text)

    monkeypatch.setattr(reference.ast, "parse", spy)
    files = {"pkg/__init__.py": "from .m import M\n", "pkg/m.py": _TRICKY}
    assert gc.isenabled()
    facts = read_package(files)
    assert seen == [False, False] and gc.isenabled()
    assert [c.name for c in facts.classes] == ["Ünïcode"]
    gc.disable()
    try:
        read_package(files)
        assert not gc.isenabled()  # a collector the caller had turned off stays off
    finally:
        gc.enable()


def test_the_collector_comes_back_after_an_error() -> None:
    with pytest.raises(SyntaxError), collector_paused():
        ast.parse("class (:\n")
    assert gc.isenabled()


_PATTERNS = '"""Patterns."""\n\nA_PATTERN = "^a$"\n'
_MODEL = '''"""M."""

from pydantic import BaseModel, Field


class M(BaseModel):
    """A model."""

    a: str = Field(..., pattern=A_PATTERN, max_length=3, min_length=LENGTH)
    b: str = Field(..., pattern=A_PATTERN)


class Same(BaseModel):
    c: int
'''


def test_combining_module_facts_leaves_them_as_they_were() -> None:
    # A caller may keep the facts of unchanged modules between runs: combining must not write into them.
    files = {
        "pkg/m.py": _MODEL,
        "pkg/n.py": _MODEL.replace("c: int", "d: str"),  # `Same` again: the later path's class is documented
        "pkg/z_patterns.py": _PATTERNS,
        "pkg/__init__.py": "from .m import M\n",
    }
    modules = {path: read_module(path, text) for path, text in files.items()}
    before = repr(modules)
    first, second = combine_modules(modules), combine_modules(modules)
    assert repr(modules) == before and repr(first) == repr(second) == repr(read_package(files))
    m = next(c for c in first.classes if c.name == "M")
    assert [f.constraints for f in m.fields] == [
        ["pattern=A_PATTERN = '^a$'", "max_length=3", "min_length=LENGTH"],
        ["pattern=A_PATTERN = '^a$'"],
    ]
    assert [f.name for c in first.classes if c.name == "Same" for f in c.fields] == ["d"]
    assert list(first.imports) == sorted(files)


def test_a_refusal_while_the_collector_is_paused_reaches_the_caller_as_itself() -> None:
    # CodegenError is frozen: a context manager that sets __traceback__ on it would turn it into another error.
    from generator.errors import CodegenError
    from generator.release import History, distribution_files

    with pytest.raises(CodegenError, match="'requests'"):
        distribution_files("pkg", "T", {"m.py": "import requests\n"}, History())
    assert gc.isenabled()
