"""The pointer-free walks and quick looks of reading and normalising a spec (#13) see exactly what the walks with
pointers see.

Most steps either never read a pointer or read it only where they change or refuse something; they now walk
without pointers, or look first without them and walk with them only where the look finds work. Each test here
compares a shortcut with the plain computation it stands for, on shapes where a careless shortcut would differ.
"""

from __future__ import annotations

import copy
import gc
import json
import math
from typing import Any

import pytest

from generator import documents
from generator.bundle import _all_local, _mapping_refs
from generator.documents import collector_on_new_objects, collector_paused
from generator.errors import CodegenError
from generator.normalise.checks import _points_to_schema, check_schema_refs, drop_engine_code_keys
from generator.normalise.schemas import (
    add_component_origins,
    origin_of,
    pointer_of,
    schema_node_objects,
    schema_nodes,
    schema_objects,
    schema_origins,
    schema_places,
    walk_schemas,
)
from generator.normalise.values import _json_valued_slots, _plainly_faithful, check_values


def _tricky_schema() -> dict[str, Any]:
    """Shared subschemas (a YAML alias), keys that need escaping, values that are not schemas where one may be,
    a mapping where a list belongs, data keywords and extensions holding schema-like mappings."""
    shared: dict[str, Any] = {"type": "string", "enum": ["a"]}
    return {
        "type": "object",
        "properties": {
            "a/b": shared,
            "c~d": {"type": "array", "items": {"properties": {"x": shared}}},
            "e": {"allOf": [{"$ref": "#/components/schemas/E"}, "not a schema", {"title": "t"}]},
            "f": {"oneOf": {"keys": "of a mapping"}, "anyOf": "text", "not": {"type": "null"}},
            "g": {"additionalProperties": True, "patternProperties": {"^p": {"enum": [1]}}},
            "properties": {"properties": {"properties": {"type": "integer"}}},
        },
        "example": {"properties": {"hidden": {"type": "string"}}},
        "x-extra": {"$ref": "#/nowhere"},
        "additionalProperties": {"$defs": {"d": {"type": "boolean"}}},
    }


def test_schema_objects_are_the_schemas_walk_schemas_finds_in_its_order() -> None:
    for root in (_tricky_schema(), {"type": "string"}, {}):
        assert [id(s) for s in schema_objects(root)] == [id(s) for s, _ in walk_schemas(root, "/components/schemas/A")]
    assert schema_objects("not a schema") == [] == walk_schemas("not a schema", "/x")


def test_schema_node_objects_are_the_nodes_schema_nodes_yields_in_its_order() -> None:
    root = _tricky_schema()
    assert [id(n) for n in schema_node_objects(root)] == [id(n) for n, _ in schema_nodes(root, "/components/x")]


def test_schema_targets_are_judged_per_reference_not_from_the_cache_of_another() -> None:
    # Cached per reference: two different references in turn each get their own verdict, again and again.
    for _ in range(2):
        assert _points_to_schema("#/components/schemas/A") is True
        assert _points_to_schema("#/info") is False
        assert _points_to_schema("other.yaml#/info") is True
        assert _points_to_schema("#") is False
        assert _points_to_schema("#/paths/~1a/get/responses/200/content/x/schema") is True


def test_a_bad_reference_is_still_named_by_its_pointer() -> None:
    spec = {"components": {"schemas": {"A": {"properties": {"p/q": {"items": {"$ref": "#/info"}}}}}}, "paths": {}}
    with pytest.raises(CodegenError) as raised:
        check_schema_refs(spec, "spec.yaml")
    assert "/components/schemas/A/properties/p~1q/items/$ref" in str(raised.value)


@pytest.mark.parametrize(
    "bad",
    [
        {"minimum": math.inf},
        {"maximum": "ten"},
        {"minLength": -1},
        {"maxItems": 1.5},
        {"minProperties": True},
        {"example": [1, {"deep": math.nan}]},
        {"default": b"bytes"},
        {"enum": [{1, 2}]},
    ],
)
def test_the_quick_look_at_values_misses_nothing_check_values_refuses(bad: dict[str, Any]) -> None:
    root = {"properties": {"ok": {"type": "integer", "minimum": 0}, "bad": {"items": bad}}}
    assert _plainly_faithful({"properties": {"ok": {"type": "integer", "minimum": 0, "maxLength": 3}}})
    assert not _plainly_faithful(root)
    with pytest.raises(CodegenError) as raised:
        check_values({"A": root}, "spec.yaml")
    assert "/components/schemas/A/properties/bad/items" in str(raised.value)


def test_json_valued_slots_without_any_build_no_name() -> None:
    schema = {"items": {"const": [1]}, "oneOf": [{"type": "string"}, {"enum": [{"a": 1}]}]}
    assert [(key, name) for _, key, name in _json_valued_slots(schema, "/components/schemas/A/properties/p")] == [
        ("items", "A.p.item"),
        (1, "A.p.option2"),
    ]
    assert _json_valued_slots({"items": {"const": 1}}, "/components/schemas/A") == []


def test_engine_keys_are_dropped_only_where_found_with_one_warning() -> None:
    spec = {
        "paths": {},
        "components": {"schemas": {"A": {"properties": {"p": {"customTypePath": "os.system"}}}, "B": {}}},
    }
    with pytest.warns(Warning, match="customTypePath ignored"):
        drop_engine_code_keys(spec, "spec.yaml")
    assert spec["components"]["schemas"]["A"]["properties"]["p"] == {}


def test_component_origins_are_added_only_for_schemas_without_one() -> None:
    spec = {"components": {"schemas": {"A": {"properties": {"p": {"type": "string"}}}}}}
    origins = schema_origins(spec)
    before = copy.copy(origins)
    add_component_origins(spec["components"]["schemas"], origins)
    assert origins == before  # every schema already had its origin: nothing added, nothing changed
    new = {"type": "integer"}
    spec["components"]["schemas"]["A"]["properties"]["q"] = new
    add_component_origins(spec["components"]["schemas"], origins)
    assert origins[id(new)] == (new, "/components/schemas/A/properties/q")


def test_origin_places_give_the_pointer_of_the_first_place_met() -> None:
    shared = {"type": "string"}
    spec = {
        "paths": {"/a/{b}": {"get": {"parameters": [{"schema": shared}, {"schema": {"enum": ["x"]}}]}}},
        "components": {"schemas": {"A~B": {"properties": {"p/q": shared, "r": {"example": {"not": "met"}}}}}},
    }
    origins = schema_origins(spec)
    pointers = {id(node): pointer_of(place) for node, place in origins.values()}
    assert pointers[id(spec)] == ""
    assert pointers[id(shared)] == "/components/schemas/A~0B/properties/p~1q"  # the walk meets the last key first
    params = spec["paths"]["/a/{b}"]["get"]["parameters"]  # type: ignore[index]
    assert pointers[id(params[1]["schema"])] == "/paths/~1a~1{b}/get/parameters/1/schema"
    component = spec["components"]["schemas"]["A~B"]  # type: ignore[index]
    assert pointers[id(component["properties"])] == "/components/schemas/A~0B/properties"
    assert id(component["properties"]["r"]["example"]) not in pointers  # data, not a schema
    assert origin_of(shared, origins) == "/components/schemas/A~0B/properties/p~1q"
    assert origin_of({"type": "string"}, origins) is None  # an equal mapping is not the one met


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_put_back_as_it_was_even_after_an_error(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(CodegenError), collector_paused():
            raise CodegenError("spec.yaml", "refused")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_engine_collects_its_own_objects_only_and_leaves_the_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        before = object.__new__(type("Alive", (), {}))  # a tracked object alive before the body
        with pytest.raises(CodegenError), collector_on_new_objects():
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0 and not any(o is before for o in gc.get_objects())
            cycle: list[object] = []
            cycle.append(cycle)
            made = id(cycle)
            del cycle
            gc.collect()
            assert not any(id(o) == made for o in gc.get_objects())  # the body's cycle was collected
            raise CodegenError("spec.yaml", "refused")
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0 and any(o is before for o in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.enable() if was else gc.disable()


def test_objects_frozen_before_the_engine_stay_frozen_after_it() -> None:
    """A forked worker freezes what it shares with its parent; the engine's collector must not unfreeze it."""
    try:
        gc.freeze()
        frozen = gc.get_freeze_count()
        with collector_on_new_objects():
            pass
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_the_engine_runs_with_the_collector_while_the_command_pauses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import render

    seen: list[tuple[bool, bool]] = []

    def engine(*args: object, **kwargs: object) -> dict[tuple[str, ...], str]:
        seen.append((gc.isenabled(), gc.get_freeze_count() > 0))
        return {("models.py",): "X = 1\n"}

    monkeypatch.setattr(render, "generate", engine)
    with collector_paused():
        assert render._run_engine({"openapi": "3.0.3"}, "spec.yaml") == {"models": "X = 1\n"}
        assert not gc.isenabled()
    assert seen == [(True, True)]


def test_the_cli_pauses_the_collector_for_the_rendering_commands_not_for_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import cli

    seen: dict[str, bool] = {}

    def command(args: Any) -> int:
        seen[args.command] = gc.isenabled()
        return 0

    monkeypatch.setattr(cli, "_run", command)
    was = gc.isenabled()
    try:
        gc.enable()
        assert cli.main(["generate"]) == 0
        assert cli.main(["check"]) == 0
        assert cli.main(["diff", "old.yaml", "new.yaml"]) == 0
        assert seen == {"generate": False, "check": False, "diff": True}
        assert gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()


def test_schema_places_give_the_pointers_walk_schemas_builds() -> None:
    root = _tricky_schema()
    places = schema_places(root, "/components/schemas/A~1B")
    walked = walk_schemas(root, "/components/schemas/A~1B")
    assert [(id(s), pointer_of(p)) for s, p in places] == [(id(s), w) for s, w in walked]


def _plain_parse(text: str) -> Any:
    """What parse_document did with JSON before the one-walk check: parse, check with pointers, count."""
    try:
        data = json.loads(text, parse_int=documents._json_int)
    except json.JSONDecodeError as exc:
        raise CodegenError("spec.json", f"invalid JSON: {exc.msg}", f"line {exc.lineno}") from None
    documents._check_text(data, "spec.json")
    if documents._expanded_size(data) > documents.MAX_NODES:
        raise CodegenError(
            "spec.json", f"refused YAML: more than {documents.MAX_NODES} values once aliases are expanded"
        )
    return data


def _outcome(parse: Any, text: str) -> str:
    try:
        return repr(parse(text))
    except CodegenError as error:
        return f"error: {error}"


_DEEP = 200  # documents.MAX_DEPTH


@pytest.mark.parametrize(
    "text",
    [
        '{"openapi": "3.0.1", "a": {"b": [1, 2.5, true, null, "s", {"c": {}}]}}',
        '{"openapi": "3.0.1", "x": [1, {"x-codegen-y": 1}], "z": {"x-codegen-w": 2}}',
        '{"openapi": "3.0.1", "n": ' + "9" * 101 + ', "m": NaN}',
        '{"openapi": "3.0.1", "n": ' + "9" * 5000 + "}",
        '{"openapi": "3.0.1", "n": [Infinity], "s": "\\udc00"}',
        '{"openapi": "3.0.1", "s": "\\ud83d\\ude00", "t": "\\\\ud800"}',
        '{"x": ' + "[" * (_DEEP - 1) + "]" * (_DEEP - 1) + "}",
        '{"x": ' + "[" * _DEEP + "]" * _DEEP + "}",
        '{"x": ' + "[" * (_DEEP - 1) + "1" + "]" * (_DEEP - 1) + "}",
        '{"x": ' + "[" * _DEEP + "1" + "]" * _DEEP + "}",
        '{"x": ' + "[" * (_DEEP - 1) + "{}" + "]" * (_DEEP - 1) + "}",
        '{"x": ' + "[" * (_DEEP - 1) + '{"k": 1}' + "]" * (_DEEP - 1) + "}",
        "[1, 2]",
    ],
)
def test_json_is_checked_and_counted_as_the_walk_with_pointers_did(text: str) -> None:
    expected = _outcome(_plain_parse, text)
    assert _outcome(lambda t: documents._parse_json(t, "spec.json"), text) == expected


def _holds_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    return isinstance(value, list) and any(_holds_surrogate(v) for v in value)


_PIECES = ["\\ud83d", "\\uDE00", "\\uDBFF", "\\udc00", "\\u0041", "\\\\", "u", "d83d", "a", "é", "\\n"]


@pytest.mark.parametrize("seed", range(40))
def test_escaped_surrogates_are_judged_as_the_parser_joins_them(seed: int) -> None:
    """``_surrogate_free`` says a JSON text gives no surrogate exactly when the parser gives none (the fast walk
    relies on it): the pairs ``json.dumps`` writes are joined into one character, an escaped backslash is no
    escape."""
    import random

    pick = random.Random(seed)
    for _ in range(300):
        strings = ["".join(pick.choice(_PIECES) for _ in range(pick.randrange(1, 7))) for _ in range(3)]
        text = "[" + ", ".join(f'"{s}"' for s in strings) + "]"
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            continue
        assert documents._surrogate_free(text) is not _holds_surrogate(parsed), text
    emoji = json.dumps(["😀 🚢", {"k": "🍫"}])
    assert "\\ud83d\\ude00" in emoji and documents._surrogate_free(emoji)
    assert not documents._surrogate_free('["\\ud83d"]') and not documents._surrogate_free('["\\\\\\ude00"]')
    assert documents._surrogate_free('["\\\\ude00", "\\\\\\\\ud83d"]')  # escaped backslashes, then letters


def test_the_value_limit_is_applied_after_the_other_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "MAX_NODES", 5)
    for text in ('{"a": [1, 2, 3, 4, 5]}', '{"a": [1, 2, 3, 4]}', '{"a": [1, 2, 3, 4, {"x-codegen-k": 0}]}'):
        assert _outcome(lambda t: documents._parse_json(t, "spec.json"), text) == _outcome(_plain_parse, text)
    with pytest.raises(CodegenError, match="more than 5 values"):
        documents.parse_document('{"a": [1, 2, 3, 4, 5]}', "spec.json")


def _plain_refs_check(document: dict[str, Any]) -> str:
    for where, ref in documents.iter_refs(document):
        if not ref.startswith("#"):
            return f"external {ref} at {where}"
        try:
            documents.resolve_pointer(document, ref[1:])
        except KeyError:
            return f"nothing at {where}"
    return "ok"


@pytest.mark.parametrize(
    "refs",
    [
        ["#/components/schemas/A", "#/components/schemas/A", "#/info"],
        ["#/components/schemas/A", "other.yaml#/A"],
        ["#/components/schemas/B", "#/components/schemas/A"],
        ["#/components/schemas/A/enum/1", "#/components/schemas/A/enum/9"],
    ],
)
def test_local_refs_are_judged_as_the_walk_with_pointers_judged_them(refs: list[str]) -> None:
    document = {
        "info": {},
        "components": {"schemas": {"A": {"enum": [1, 2]}}},
        "paths": {"/p": {"get": {"x": [{"$ref": ref} for ref in refs]}}},
    }
    assert documents._local_refs_resolve(document) == (_plain_refs_check(document) == "ok")


@pytest.mark.parametrize(
    "document",
    [
        {"a": [{"$ref": "#/x"}], "d": {"discriminator": {"mapping": {"k": "#/y", "n": "Name"}}}},
        {"a": [{"$ref": "other.yaml#/x"}]},
        {"d": [{"discriminator": {"mapping": {"k": "other.yaml"}}}]},
        {"d": {"discriminator": {"mapping": {"k": "dir/Thing"}}}},
        {"d": {"discriminator": {"mapping": {"k": "Plain"}, "x": {"$ref": "#/z"}}}},
    ],
)
def test_the_all_local_look_agrees_with_both_reference_walks(document: dict[str, Any]) -> None:
    plain = all(ref.startswith("#") for _, ref in documents.iter_refs(document)) and all(
        ref.startswith("#") for _, _, ref, _ in _mapping_refs(document)
    )
    assert _all_local(document) is plain
