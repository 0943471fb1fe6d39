"""Rewrites of a document's structure: inline schemas that become classes are hoisted into named components,
unions split into whole members, annotation-only ``allOf`` members folded, retyped ``allOf`` overrides flattened and
unused tag enums dropped, so that the engine names every class after its place and no name occurs twice."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from generator.documents import escape_pointer, iter_refs
from generator.normalise.schemas import (
    METHODS,
    hoist_to_component,
    hoisting_walk,
    is_annotation_only,
    is_inline_class,
    is_model_schema,
    pascal_case,
    place_words,
    pointer_of,
    schema_objects,
    schema_places,
    schema_types,
    unescape,
)
from generator.normalise.validators import requirement_alternative

__all__ = [
    "drop_unused_tag_enums",
    "flatten_retyped_overrides",
    "fold_annotation_members",
    "hoist_colliding_properties",
    "hoist_inherited_properties",
    "hoist_inline_classes",
    "hoist_operation_schemas",
    "hoist_union_members",
    "merge_inline_objects",
    "split_object_unions",
]


def fold_annotation_members(schemas: dict[str, Any]) -> None:
    """Replace ``allOf: [inline schema, annotation-only members...]`` by the schema carrying the annotations."""
    for root in schemas.values():
        for schema in schema_objects(root):
            members = schema.get("allOf")
            if not isinstance(members, list) or len(members) < 2:
                continue
            structural = [m for m in members if not is_annotation_only(m)]
            if len(structural) != 1 or "$ref" in structural[0]:
                continue
            del schema["allOf"]
            for member in members:
                if member is not structural[0]:
                    for key, value in member.items():
                        schema.setdefault(key, value)
            for key, value in structural[0].items():
                schema.setdefault(key, value)


def _media_schemas(holder: Any, base: str) -> list[tuple[dict[str, Any], str, str]]:
    """``(holder of the schema, its key, name)`` for each media type schema of a request body or response."""
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return []
    media = [m for m, v in content.items() if isinstance(v, dict) and is_model_schema(_unwrap_array(v.get("schema")))]
    found = []
    for media_type in media:
        name = base if len(media) == 1 else f"{base}.{media_type.rpartition('/')[2]}"
        found.append((content[media_type], "schema", name))
    return found


def _unwrap_array(schema: Any) -> Any:
    """The item schema of an array of inline items, else the schema itself."""
    if isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return schema["items"]
    return schema


def _operation_schemas(spec: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    """Inline schemas of operations and reusable components other than schemas that would become classes:
    ``(holder, key, name)``, named from the operationId (or method and path) and the role."""
    found: list[tuple[dict[str, Any], str, str]] = []

    def parameters(items: Any, base: str) -> None:
        for parameter in items if isinstance(items, list) else []:
            if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                if is_model_schema(_unwrap_array(parameter.get("schema"))):
                    found.append((parameter, "schema", f"{base}.{parameter.get('in', '')}.{parameter['name']}"))

    for section in ("paths", "webhooks"):
        items = spec.get(section)
        for path, item in (items or {}).items() if isinstance(items, dict) else []:
            if not isinstance(item, dict):
                continue
            parameters(item.get("parameters"), path)
            for method in METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                given = operation.get("operationId")
                base = given if isinstance(given, str) and pascal_case(given) != "Model" else f"{method}.{path}"
                parameters(operation.get("parameters"), base)
                found += _media_schemas(operation.get("requestBody"), f"{base}.request")
                responses = operation.get("responses")
                for status, response in (responses or {}).items() if isinstance(responses, dict) else []:
                    found += _media_schemas(response, f"{base}.response.{status}")
    components: dict[str, Any] = spec["components"]

    def reusable(key: str) -> dict[str, Any]:
        value = components.get(key)
        return value if isinstance(value, dict) else {}

    for key, role in (("requestBodies", "request"), ("responses", "response")):
        for name, value in reusable(key).items():
            found += _media_schemas(value, f"{name}.{role}")
    parameters(list(reusable("parameters").values()), "parameter")
    return found


def hoist_operation_schemas(spec: dict[str, Any]) -> None:
    """Move inline schemas of operations that would become classes (request bodies, responses, parameters) into
    component schemas, so a document that declares its models only inline still gets them."""
    schemas: dict[str, Any] = spec.setdefault("components", {}).setdefault("schemas", {})
    for place, place_key, place_name in _operation_schemas(spec):
        target = place[place_key]
        array = _unwrap_array(target) is not target
        holder, key = (target, "items") if array else (place, place_key)
        base = f"{place_name}.item" if array else place_name
        hoist_to_component(schemas, holder, key, base)


def _becomes_class(member: Any) -> bool:
    """Whether an inline ``oneOf``/``anyOf`` member would become a class of its own (an object with properties or
    an ``allOf``), as opposed to a type written inline or a ``required`` alternative that becomes a validator."""
    return (
        isinstance(member, dict)
        and "$ref" not in member
        and ("properties" in member or "allOf" in member)
        and requirement_alternative(member) is None
    )


def _member_name(pointer: str, member: dict[str, Any], index: int) -> str:
    """``<component>.<property>...<title or optionN>``: the words of the member's place, for ``name_classes``."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[3:]]
    words = [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]
    title = member.get("title")
    words.append(title if isinstance(title, str) and pascal_case(title) != "Model" else f"option{index + 1}")
    return ".".join(words)


def _has_class_member(schema: dict[str, Any]) -> bool:
    """Whether ``hoist_union_members`` moves a member of ``schema``'s ``oneOf`` or ``anyOf``."""
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and any(_becomes_class(member) for member in members):
            return True
    return False


def hoist_union_members(schemas: dict[str, Any]) -> None:
    """Move inline ``oneOf``/``anyOf`` members that become classes into components of their own.

    Left inline, the engine names every such member after its parent, each in a module of its own, and the union
    can end up referring to itself (``RootModel["OrgRulesetConditions"]`` for a union of three). A hoisted member
    is named from its place: the component, the properties on the way, and its ``title`` or its position."""
    for schema, where, queue in hoisting_walk(schemas, _has_class_member):
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if not isinstance(members, list):
                continue
            for index, member in enumerate(members):
                if not _becomes_class(member):
                    continue
                base = _member_name(f"{where}/{key}/{index}", member, index)
                queue.append(hoist_to_component(schemas, members, index, base))


def _inherits(schema: Any) -> bool:
    """Whether an inline schema becomes a subclass: an ``allOf`` of two or more members, one of them a ``$ref``."""
    members = schema.get("allOf") if isinstance(schema, dict) else None
    return (
        isinstance(members, list)
        and len(members) >= 2
        and "$ref" not in schema
        and any(isinstance(m, dict) and "$ref" in m for m in members)
    )


def _has_inheriting_property(schema: dict[str, Any]) -> bool:
    """Whether ``hoist_inherited_properties`` moves a property of ``schema`` (or its items)."""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return False
    for sub in properties.values():
        inner = (
            sub["items"] if isinstance(sub, dict) and isinstance(sub.get("items"), dict) and not _inherits(sub) else sub
        )
        if _inherits(inner):
            return True
    return False


def hoist_inherited_properties(schemas: dict[str, Any]) -> None:
    """Move inline property schemas that become subclasses (an ``allOf`` over ``$ref``s) into components of their own.

    The engine names such a class after the property alone, whatever its parent: six responses each with a
    ``links: {allOf: [LinksSelf, LinksPagination]}`` become six classes all named ``Links``, in six modules. A
    hoisted schema is named from its place: the component and the properties on the way (``Response.links``)."""
    for schema, where, queue in hoisting_walk(schemas, _has_inheriting_property):
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            continue
        for prop, sub in properties.items():
            holder, key, place = properties, prop, f"{where}/properties/{escape_pointer(prop)}"
            if isinstance(sub, dict) and isinstance(sub.get("items"), dict) and not _inherits(sub):
                holder, key, place = sub, "items", f"{place}/items"
            if not _inherits(holder[key]):
                continue
            tokens = [unescape(t) for t in place.split("/")[3:]]
            words = [tokens[0]] + [t for before, t in itertools.pairwise(tokens) if before == "properties"]
            base = ".".join(words) + (".item" if key == "items" else "")
            queue.append(hoist_to_component(schemas, holder, key, base))


_CONSTRAINTS = frozenset(
    {
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)
"""Keywords that make the engine write an inline union member as a class of its own (an enum, a constrained type)."""


def _is_constrained_member(schema: Any) -> bool:
    """Whether an inline union member is an enum or a constrained type, which the engine names after the union."""
    return (
        isinstance(schema, dict)
        and not {"$ref", "properties", "allOf", "oneOf", "anyOf"} & set(schema)
        and bool(_CONSTRAINTS & set(schema))
    )


_OBJECT_KEYWORDS = frozenset(
    {"type", "properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties"}
)
"""What an object schema says about its own fields: copied into each member when its union is split."""


def _splits(schema: dict[str, Any], key: str) -> bool:
    """Whether ``schema`` declares properties and a ``oneOf``/``anyOf`` of inline members the engine would merge
    with them into classes all named after the schema twice (``ChecksUpdateRequestChecksUpdateRequest``): every
    member inline, no discriminator, and not an ``anyOf`` of ``required`` alternatives (a validator instead)."""
    members = schema.get(key)
    if not isinstance(schema.get("properties"), dict) or not isinstance(members, list) or not members:
        return False
    if "discriminator" in schema or not all(isinstance(m, dict) and "$ref" not in m for m in members):
        return False
    if key == "anyOf":
        checks = [requirement_alternative(m) for m in members]
        known = all(c["field"] in schema["properties"] for group in checks if group for c in group)
        if all(c is not None for c in checks) and known:
            return False
    return True


def _merged_member(schema: dict[str, Any], member: dict[str, Any]) -> dict[str, Any]:
    """One member of a split union: the parent's fields with the member's: its properties narrow the parent's
    (both apply: keywords merged, or an ``allOf`` when the parent's is a ``$ref``), its ``required`` add up."""
    merged = copy.deepcopy({k: v for k, v in schema.items() if k in _OBJECT_KEYWORDS})
    merged.setdefault("type", "object")
    for keyword_name, value in copy.deepcopy(member).items():
        if keyword_name == "properties" and isinstance(value, dict):
            properties = merged.setdefault("properties", {})
            for prop, sub in value.items():
                given = properties.get(prop)
                if isinstance(given, dict) and isinstance(sub, dict):
                    properties[prop] = {"allOf": [given, sub]} if "$ref" in given else {**given, **sub}
                else:
                    properties[prop] = sub
        elif keyword_name == "required" and isinstance(value, list):
            required = merged.setdefault("required", [])
            required += [r for r in value if r not in required]
        else:
            merged[keyword_name] = value
    return merged


def split_object_unions(schemas: dict[str, Any]) -> None:
    """Rewrite an object with properties and a ``oneOf``/``anyOf`` of inline members (``_splits``) as a union of
    whole members, each the parent's fields with its own; ``hoist_union_members`` then names each from its place
    (``ChecksUpdateRequestOption1``). The union keeps the parent's annotations."""
    for root in schemas.values():
        pending = True
        while pending:  # walked again after each split: the members' copies of the parent's fields are new schemas
            pending = False
            for schema in schema_objects(root):
                key = next((k for k in ("oneOf", "anyOf") if _splits(schema, k)), None)
                if key is None:
                    continue
                schema[key] = [_merged_member(schema, member) for member in schema[key]]
                for keyword_name in _OBJECT_KEYWORDS:
                    schema.pop(keyword_name, None)
                pending = True
                break


def _deep_merge(first: Any, second: Any) -> Any:
    """Two schemas that must both hold, as one: mappings merged key by key (recursively), ``required`` lists
    joined, any other value of the second winning; two different schemas of which one is a ``$ref`` stay both, as
    an ``allOf`` (a ``$ref`` with other keywords beside it would lose them)."""
    if not (isinstance(first, dict) and isinstance(second, dict)):
        return copy.deepcopy(second)
    if ("$ref" in first or "$ref" in second) and first != second:
        return {"allOf": [copy.deepcopy(first), copy.deepcopy(second)]}
    merged = copy.deepcopy(first)
    for key, value in second.items():
        if key == "required" and isinstance(merged.get(key), list) and isinstance(value, list):
            merged[key] = merged[key] + [r for r in value if r not in merged[key]]
        elif key in merged and isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _plain_object(schema: Any) -> bool:
    """An inline object schema without compositions or references anywhere at its top level."""
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("properties"), dict)
        and not {"$ref", "allOf", "oneOf", "anyOf", "discriminator"} & set(schema)
    )


def merge_inline_objects(schemas: dict[str, Any]) -> None:
    """Merge an ``allOf`` of plain inline objects (``_plain_object``) into one object.

    The engine makes such members base classes named by their ``title`` (GitHub's webhook ``Issue`` in many modules)
    and, where two members declare one property differently, merges them into new classes named after the property
    (``IssueAssignee`` for both ``assignee`` and the items of ``assignees``); an ``allOf`` of one such object (a
    nullable ``author`` in GitHub's dereferenced description) becomes a class named after the property alone
    (``Author`` eleven times). Merged here, every nested schema has one
    place, and so one name. The schema's own keywords win over its members'."""
    for root in schemas.values():
        for schema in schema_objects(root):
            members = schema.get("allOf")
            if not isinstance(members, list) or not members or "properties" in schema:
                continue
            if not all(_plain_object(m) for m in members):
                continue
            merged: Any = {}
            for member in members:
                merged = _deep_merge(merged, member)
            del schema["allOf"]
            for key, value in merged.items():
                if key == "required" and isinstance(schema.get(key), list):
                    schema[key] = schema[key] + [r for r in value if r not in schema[key]]
                else:
                    schema.setdefault(key, value)


def _is_inline_intersection(schema: Any) -> bool:
    """An ``allOf`` of two or more inline members that say something (not only annotations) and no ``$ref``: the
    engine writes it as a class named after the property alone (readme.com's ``label``, ``slug``)."""
    members = schema.get("allOf") if isinstance(schema, dict) and "$ref" not in schema else None
    return (
        isinstance(members, list)
        and not any(isinstance(m, dict) and "$ref" in m for m in members)
        and sum(1 for m in members if isinstance(m, dict) and not is_annotation_only(m)) >= 2
    )


def _class_name_of(name: str, schema: Any) -> str:
    """The class name a component will get (before ``name_classes`` numbers any collision)."""
    given = schema.get("x-python-class-name") if isinstance(schema, dict) else None
    return given if isinstance(given, str) else pascal_case(name)


def _inline_classes(
    schema: dict[str, Any], where: str, classes: dict[str, str], taken: set[str]
) -> list[tuple[Any, Any, str, str]]:
    """``(holder, key, place, name)`` for each inline schema directly under ``schema`` that the engine would name
    from something else than its place, so that two of them could get one class name:

    * inline enums and constrained types among ``oneOf``/``anyOf`` members: each named after the union
      (``BudgetBudgetType`` twice, ``IdentIdent`` for each pattern of a path parameter);
    * inline objects as the items of an array among union members: named after the union twice;
    * inline objects as the items of an array property: named after the property in the singular, which is the
      name of a sibling property (``assignees`` items and ``assignee`` both ``IssueAssignee``);
    * a property (or its items) that is an ``allOf`` of inline members (``_is_inline_intersection``);
    * an inline object or enum property, or the inline object or enum values of a map property, whose name after
      its parent's is the class name of a component (``classes``: component → class name; ``taken``: those class
      names): the engine would give
      both one class name (``code-scanning-variant-analysis.status`` and ``code-scanning-variant-analysis-status``),
      while ``name_classes`` numbers them."""
    found: list[tuple[Any, Any, str, str]] = []
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        for index, member in enumerate(members if isinstance(members, list) else []):
            place = f"{where}/{key}/{index}"
            if _is_constrained_member(member):
                found.append((members, index, place, _member_name(place, member, index)))
            items = member.get("items") if isinstance(member, dict) and "$ref" not in member else None
            if isinstance(items, dict) and "$ref" not in items and "properties" in items:
                found.append((member, "items", f"{place}/items", f"{_member_name(place, member, index)}.item"))
    properties = schema.get("properties")
    for prop, sub in properties.items() if isinstance(properties, dict) else []:
        if not _property_may_move(sub):
            continue  # none of the tests below can pass: no place, words or name to build
        place = f"{where}/properties/{escape_pointer(prop)}"
        words = place_words(place)
        engine_name = classes.get(words[0], "") + "".join(pascal_case(w) for w in words[1:])
        if _is_inline_intersection(sub) or (is_inline_class(sub) and engine_name in taken):
            found.append((properties, prop, place, ".".join(words)))
            continue
        values = sub.get("additionalProperties") if isinstance(sub, dict) and "$ref" not in sub else None
        if is_inline_class(values) and "properties" not in sub and engine_name in taken:
            found.append((sub, "additionalProperties", f"{place}/additionalProperties", ".".join([*words, "value"])))
            continue
        items = sub.get("items") if isinstance(sub, dict) and "$ref" not in sub else None
        if _is_inline_intersection(items):
            found.append((sub, "items", f"{place}/items", ".".join([*place_words(place), "item"])))
            continue
        if isinstance(items, dict) and "$ref" not in items and "properties" in items and not _inherits(items):
            place = f"{where}/properties/{escape_pointer(prop)}/items"
            found.append((sub, "items", place, ".".join([*place_words(place), "item"])))
    return found


def _property_may_move(sub: Any) -> bool:
    """Whether ``_inline_classes`` may move a property schema (or its items or values): its tests, without the one
    on the engine's name for it (so True may still mean "stays")."""
    if _is_inline_intersection(sub) or is_inline_class(sub):
        return True
    if not isinstance(sub, dict) or "$ref" in sub:
        return False
    if is_inline_class(sub.get("additionalProperties")) and "properties" not in sub:
        return True
    items = sub.get("items")
    return _is_inline_intersection(items) or (
        isinstance(items, dict) and "$ref" not in items and "properties" in items and not _inherits(items)
    )


def _may_move_from(schema: dict[str, Any]) -> bool:
    """Whether ``_inline_classes`` may find anything directly under ``schema`` (False: it finds nothing)."""
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        for member in members if isinstance(members, list) else []:
            if _is_constrained_member(member):
                return True
            items = member.get("items") if isinstance(member, dict) and "$ref" not in member else None
            if isinstance(items, dict) and "$ref" not in items and "properties" in items:
                return True
    properties = schema.get("properties")
    return isinstance(properties, dict) and any(_property_may_move(sub) for sub in properties.values())


def hoist_inline_classes(schemas: dict[str, Any]) -> None:
    """Move inline schemas that the engine would name after something else than their place (``_inline_classes``)
    into components of their own, named from their place, so that every class name is unique in the package and
    does not depend on other schemas of the document."""
    queue = list(schemas)
    classes = {name: _class_name_of(name, schema) for name, schema in schemas.items()}
    taken = set(classes.values())
    while queue:
        parent = queue.pop(0)
        moved: list[str] = []
        for schema, at in schema_places(schemas[parent], f"/components/schemas/{escape_pointer(parent)}"):
            if not _may_move_from(schema):
                continue  # nothing to move from here: no pointer to build
            where = pointer_of(at)
            if any(where.startswith(f"{place}/") or where == place for place in moved):
                continue
            for holder, key, place, base in _inline_classes(schema, where, classes, taken):
                name = hoist_to_component(schemas, holder, key, base)
                classes[name] = pascal_case(name)
                taken.add(classes[name])
                moved.append(place)
                queue.append(name)


def _has_inline_class_property(schema: dict[str, Any]) -> bool:
    """Whether a property of ``schema`` is an inline class (``is_inline_class``)."""
    properties = schema.get("properties")
    return isinstance(properties, dict) and any(is_inline_class(sub) for sub in properties.values())


def hoist_colliding_properties(schemas: dict[str, Any]) -> None:
    """Hoist inline object and enum properties whose class names the engine would derive alike from two places
    (``issue.type`` and ``issue_type`` both ``...IssueType``), every one of them, named from its place; ``name_classes``
    then numbers them in the order of their places, the same whatever else the document holds."""
    classes = {name: _class_name_of(name, schema) for name, schema in schemas.items()}
    groups: dict[str, list[tuple[Any, str, str]]] = {}
    for root in list(schemas):
        for schema, place in schema_places(schemas[root], f"/components/schemas/{escape_pointer(root)}"):
            if not _has_inline_class_property(schema):
                continue  # the pointer is built only for the schemas with an inline class property
            where = pointer_of(place)
            properties = schema["properties"]
            for prop, sub in properties.items():
                if not is_inline_class(sub):
                    continue
                words = place_words(f"{where}/properties/{escape_pointer(prop)}")
                engine_name = classes[root] + "".join(pascal_case(w) for w in words[1:])
                groups.setdefault(engine_name, []).append((properties, prop, ".".join(words)))
    for places in groups.values():
        if len(places) < 2:
            continue
        for holder, prop, base in places:
            hoist_to_component(schemas, holder, prop, base)


def _signature(schema: Any) -> Any:
    """What decides a property's Python type: its ``$ref``, or its types, format, enum and items (not its bounds)."""
    if not isinstance(schema, dict):
        return repr(schema)
    if "$ref" in schema:
        return ("ref", schema["$ref"], schema.get("nullable"))
    enum = schema.get("enum")
    return (
        tuple(sorted(schema_types(schema))),
        schema.get("format"),
        schema.get("nullable"),
        repr(enum) if enum is not None else None,
        _signature(schema.get("items")) if "items" in schema else None,
        tuple(
            sorted(k for k in ("oneOf", "anyOf", "allOf", "properties", "additionalProperties", "const") if k in schema)
        ),
    )


def _inherited_properties(schemas: dict[str, Any], schema: Any, seen: set[int]) -> tuple[dict[str, Any], list[str]]:
    """The properties and required names a schema declares itself and through its ``allOf`` members."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return {}, []
    seen.add(id(schema))
    properties: dict[str, Any] = {}
    required: list[str] = []
    for member in schema.get("allOf") or []:
        target = member
        if isinstance(member, dict) and isinstance(member.get("$ref"), str):
            target = schemas.get(member["$ref"].removeprefix("#/components/schemas/"))
        more, needed = _inherited_properties(schemas, target, seen)
        properties.update(more)
        required.extend(n for n in needed if n not in required)
    declared = schema.get("properties")
    properties.update(declared if isinstance(declared, dict) else {})
    own = schema.get("required")
    required.extend(n for n in (own if isinstance(own, list) else []) if n not in required)
    return properties, required


def flatten_retyped_overrides(schemas: dict[str, Any]) -> None:
    """An ``allOf`` child that redeclares a parent's property with another type becomes one flat object.

    A subclass cannot narrow a field to an unrelated type (``size: int`` in the parent, ``size: str`` in the child
    is a type error); the flat class holds the parent's properties and the child's own declarations, which win."""
    for schema in schemas.values():
        members = schema.get("allOf")
        if not isinstance(members, list) or not any(isinstance(m, dict) and "$ref" in m for m in members):
            continue
        inherited: dict[str, Any] = {}
        for member in members:
            if isinstance(member, dict) and isinstance(member.get("$ref"), str):
                parent = schemas.get(member["$ref"].removeprefix("#/components/schemas/"))
                inherited.update(_inherited_properties(schemas, parent, {id(schema)})[0])
        own: dict[str, Any] = {}
        for member in members:
            if isinstance(member, dict) and "$ref" not in member and isinstance(member.get("properties"), dict):
                own.update(member["properties"])
        if not any(key in inherited and _signature(inherited[key]) != _signature(own[key]) for key in own):
            continue
        properties, required = _inherited_properties(schemas, schema, set())
        del schema["allOf"]
        for member in members:
            if isinstance(member, dict) and "$ref" not in member:
                for key, value in member.items():
                    if key not in ("properties", "required"):
                        schema.setdefault(key, value)
        schema["type"] = "object"
        schema["properties"] = properties
        if required:
            schema["required"] = required


def drop_unused_tag_enums(spec: dict[str, Any]) -> None:
    """A discriminated union's own copy of its tag property (``properties: {type: {$ref: PartType}}`` beside
    ``oneOf`` + ``discriminator``) is dropped, since each branch's tag becomes a ``Literal``; an enum schema that
    nothing else references is then not generated."""
    schemas: dict[str, Any] = spec["components"]["schemas"]
    candidates: set[str] = set()
    for schema in schemas.values():
        tag = schema.get("discriminator")
        properties = schema.get("properties")
        if not isinstance(tag, dict) or not isinstance(properties, dict) or "properties" in tag:
            continue
        name = tag.get("propertyName")
        branches = schema.get("oneOf") or schema.get("anyOf")
        if not isinstance(name, str) or not isinstance(branches, list) or not branches or set(properties) != {name}:
            continue
        if not all(isinstance(b, dict) and "$ref" in b for b in branches):
            continue
        ref = properties[name].get("$ref") if isinstance(properties[name], dict) else None
        del schema["properties"]
        if schema.get("required") == [name]:
            del schema["required"]
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            candidates.add(ref.removeprefix("#/components/schemas/"))
    if not candidates:
        return
    used = {ref.removeprefix("#/components/schemas/") for _, ref in iter_refs(spec)}
    for name in sorted(candidates - used):
        if isinstance(schemas.get(name), dict) and "enum" in schemas[name]:
            del schemas[name]
