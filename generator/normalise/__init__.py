"""Normalise: the effective spec (vendor + overlay) → the document the rendering engine is given, plus a plan.

General rewrites only — nothing here knows about Workflows. Each rewrite fixes a way the engine would otherwise
misread a construct that is common in vendor specs; ``normalise`` below runs them in order. One module per concern:

``checks`` — refusals and removals before anything else reads the document:

* ``check_schema_refs``, ``check_inheritance`` — a ``$ref`` in a schema to something that is not a schema, and an
  ``allOf`` inheritance cycle, are invalid input (exit 2 naming the pointer), not a package that cannot import.
* ``refuse_reserved_keys`` — ``x-codegen-*`` keys carry this package's annotations to the templates only.
* ``drop_engine_code_keys`` — the engine's own keywords that write a spec's strings as code (``customTypePath``,
  ``x-python-type``, ``customBasePath``...) are dropped with a warning: OpenAPI gives them no meaning.

``hoist`` — the document's structure:

* ``hoist_operation_schemas``, ``hoist_union_members`` — inline schemas of operations, and inline union members, that
  become classes are moved into named components; left inline the engine names a union's members after the union
  itself and can make it a ``RootModel`` of itself.
* ``merge_inline_objects``, ``split_object_unions``, ``hoist_inline_classes`` — every other inline schema that the
  engine would name after something else than its place (a title, the property alone, the union twice) is merged,
  split into whole members or hoisted and named from its place, so no class name occurs twice in a package.
* ``fold_annotation_members`` — an ``allOf`` of one inline schema and members that only annotate it (a
  description, a title) becomes that schema with the annotations; otherwise the engine emits an empty class and
  drops the real type (a string map becomes ``class Params(BaseModel): pass``).
* ``flatten_retyped_overrides``, ``drop_unused_tag_enums`` — an ``allOf`` child retyping a parent's property becomes
  one flat class; a union's tag enum that nothing else uses is not generated.

``values`` — values Python must hold faithfully:

* ``check_values``, ``check_defaults`` — numbers JSON cannot write, negative counts and defaults that do not match
  their own schema are refused with their pointer.
* ``json_values`` — a ``const`` array or object, or an ``enum`` holding one, which no ``Literal`` or ``Enum`` holds,
  becomes ``Annotated[T, _json_values.Const(...)]`` (or ``Enum``), checked with JSON equality at run time.
* ``tidy_values``: ``plain_typed_defaults``, ``literal_bool_number_enums``, ``drop_false_nullable``,
  ``trim_descriptions`` in one walk — shapes the engine would misrender (a ``date`` default as JSON text,
  ``True == 1`` in an enum, block-scalar newlines).

``naming`` — every name the package exposes:

* ``name_classes`` — component names become class names: ``x-python-class-name`` when the spec gives one, else
  the name's words joined in PascalCase; dotted names would otherwise become modules and ``from . import X as X_1``.
  Derived names that meet (``M``/``m``) are numbered, the previous generation's names first (the name lock); two
  equal given names are an error. Names are ASCII (Python NFKC-normalises identifiers) and never a keyword, an
  imported module's name or a Windows device name.
* ``protected_field_names``, ``name_enum_members`` — attribute and enum member names the engine would get wrong
  (pydantic's protected ``model_dump``, NFKC look-alikes, ``str`` methods), the wire name kept as alias or value.
* ``name_patterns`` — every regex becomes a named module constant (``x-python-pattern-name``, or a name from the
  class and property path of each place that uses it, so that additions never rename one).

``engine`` — the engine's own extensions and constraints it would misplace:

* ``fit_engine_extensions`` — extensions (``x-enum-descriptions``...) that the input writes in another shape are
  brought into the engine's shape or dropped; otherwise the engine refuses the whole document.
* ``lift_item_constraints``, ``lift_key_constraints`` — constraints on scalar array items and map keys are rendered
  inline (``list[Annotated[str, Field(pattern=...)]]``) instead of one ``RootModel`` class per constrained item.

``validators`` — ``extract_validators``: object-level rules that no field annotation can say (``minProperties``, an
``anyOf`` of ``required`` alternatives) become model validators, named and documented by ``x-python-validators``.

``schemas`` holds what they share: the internal keys, the plan, the name lock's record and the walks over schemas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.documents import collector_paused, escape_pointer
from generator.errors import CodegenError
from generator.normalise.checks import (
    check_inheritance,
    check_schema_refs,
    drop_engine_code_keys,
    refuse_reserved_keys,
)
from generator.normalise.engine import (
    fit_engine_extensions,
    lift_item_constraints,
    lift_key_constraints,
)
from generator.normalise.hoist import (
    drop_unused_tag_enums,
    flatten_retyped_overrides,
    fold_annotation_members,
    hoist_colliding_properties,
    hoist_inherited_properties,
    hoist_inline_classes,
    hoist_operation_schemas,
    hoist_union_members,
    merge_inline_objects,
    split_object_unions,
)
from generator.normalise.naming import (
    SHADOWED_MODULES,
    WINDOWS_RESERVED,
    check_package_name,
    engine_named_classes,
    module_of,
    name_classes,
    name_enum_members,
    name_patterns,
    package_name_for,
    project_urls,
    protected_field_names,
)
from generator.normalise.schemas import (
    ENUM_KEY,
    ITEM_CONSTRAINTS_KEY,
    JSON_VALUES_KEY,
    KEY_CONSTRAINTS_KEY,
    NO_MODELS_NOTE,
    PATTERN_KEY,
    RESERVED_PREFIX,
    VALIDATORS_KEY,
    Names,
    Plan,
    add_component_origins,
    copy_document,
    schema_objects,
    schema_origins,
)
from generator.normalise.validators import (
    extract_validators,
)
from generator.normalise.values import (
    check_defaults,
    check_values,
    json_values,
    keep_enum_values,
    tidy_values,
)

__all__ = [
    "ENUM_KEY",
    "ITEM_CONSTRAINTS_KEY",
    "JSON_VALUES_KEY",
    "KEY_CONSTRAINTS_KEY",
    "PATTERN_KEY",
    "RESERVED_PREFIX",
    "SHADOWED_MODULES",
    "VALIDATORS_KEY",
    "WINDOWS_RESERVED",
    "Names",
    "Plan",
    "check_package_name",
    "module_of",
    "normalise",
    "package_name_for",
    "project_urls",
]


def _finish_schemas(schemas: dict[str, Any]) -> None:
    """``lift_item_constraints``, ``name_enum_members``, ``lift_key_constraints`` and ``keep_enum_values``, in that
    order on each schema, in one walk instead of one each. The same as four walks: none changes a key another one
    reads (the item constraints lifted from a schema's ``items`` are no enum, no ``propertyNames`` and no type; an
    items schema whose type the key constraints set was no scalar to lift from), and the one that moves a subschema
    (a ``patternProperties`` value becomes ``additionalProperties``) moves it within the walked keys, so each walk
    meets the same schemas."""
    for root in schemas.values():
        for index, schema in enumerate(schema_objects(root)):
            lift_item_constraints(schema)
            name_enum_members(schema)
            lift_key_constraints(schema, component=index == 0)  # the first schema walked is the component itself
            keep_enum_values(schema)


def normalise(effective: dict[str, Any], file: str | Path, lock: Names | None = None) -> tuple[dict[str, Any], Plan]:
    """Return the engine's input document (component schemas only) and the rendering plan.

    ``lock``: the names a previous generation derived (``Plan.names``), kept for the schemas that still come from
    the same pointers; a pointer that no longer exists, or a name that is not a valid identifier or is taken, is
    ignored and the schema named afresh."""
    with collector_paused():
        return _normalise(effective, file, lock)


def _normalise(effective: dict[str, Any], file: str | Path, lock: Names | None) -> tuple[dict[str, Any], Plan]:
    spec = copy_document(effective, {})
    components = spec.setdefault("components", {})
    if not isinstance(components, dict):
        raise CodegenError(file, "components must be a mapping", "/components")
    if not isinstance(components.setdefault("schemas", {}), dict):
        raise CodegenError(file, "component schemas must be a mapping", "/components/schemas")
    for name, schema in components["schemas"].items():
        if not isinstance(schema, dict):
            raise CodegenError(file, "a schema must be a mapping", f"/components/schemas/{escape_pointer(name)}")
    refuse_reserved_keys(components["schemas"], file)
    check_schema_refs(spec, file)
    drop_engine_code_keys(spec, file)
    check_inheritance(components["schemas"], file)
    origins = schema_origins(spec)
    hoist_operation_schemas(spec)
    merge_inline_objects(components["schemas"])
    split_object_unions(components["schemas"])
    add_component_origins(components["schemas"], origins)
    hoist_union_members(components["schemas"])
    hoist_inline_classes(components["schemas"])
    hoist_colliding_properties(components["schemas"])
    hoist_inherited_properties(components["schemas"])
    fit_engine_extensions(components["schemas"])
    check_values(components["schemas"], file)
    check_defaults(spec, components["schemas"], file)
    json_values(components["schemas"])
    tidy_values(components["schemas"])
    lock = lock or Names()
    class_names = name_classes(spec, file, lock.classes, origins)
    drop_unused_tag_enums(spec)
    schemas = spec["components"]["schemas"]
    fold_annotation_members(schemas)
    flatten_retyped_overrides(schemas)
    patterns, pattern_names = name_patterns(schemas, file, lock.patterns, origins)
    names = Names(class_names | engine_named_classes(schemas, origins), pattern_names)
    _finish_schemas(schemas)
    extract_validators(schemas, file)
    info: dict[str, Any] = spec["info"] if isinstance(spec.get("info"), dict) else {}
    title = str(info.get("title") or "API")
    description = info.get("description") if isinstance(info.get("description"), str) else None
    if not schemas:
        description = f"{description or f'Models for the {title} API.'}\n\n{NO_MODELS_NOTE}"
    engine_input = {
        "openapi": spec["openapi"],
        "info": {"title": title, "version": "0"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    plan = Plan(title=title, description=description, patterns=patterns, names=names)
    plan.field_names = protected_field_names(schemas)
    return engine_input, plan
