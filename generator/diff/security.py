"""Security: global and per-operation requirements (and their scopes), and the security schemes themselves.

A requirement is named by its schemes joined with ``+`` (``{}``, anonymous access, is ``(anonymous)``). Removing
a requirement is ERR in oasdiff's sense: a client that authenticated that way is refused; adding one is a new way
in (INFO); a scope added to a requirement asks the client for more (ERR).
"""

from __future__ import annotations

from typing import Any

from generator.diff.core import Context, as_dict, as_list
from generator.documents import escape_pointer

__all__ = ["compare_operation_security", "compare_security", "requirements"]

ANONYMOUS = "(anonymous)"


def requirements(value: Any) -> dict[str, dict[str, set[str]]]:
    """``{requirement name: {scheme: scopes}}`` of a ``security`` list."""
    found: dict[str, dict[str, set[str]]] = {}
    for entry in as_list(value):
        if isinstance(entry, dict):
            schemes = {str(k): {str(s) for s in as_list(v)} for k, v in entry.items()}
            found[" + ".join(sorted(schemes)) or ANONYMOUS] = schemes
    return found


def _compare(ctx: Context, old: Any, new: Any, location: str, op: str | None, prefix: str) -> None:
    before, after = requirements(old), requirements(new)
    for name in after:
        if name not in before:
            ctx.add(f"{prefix}-added", location, op, "request", name=name)
    for name, schemes in before.items():
        if name not in after:
            ctx.add(f"{prefix}-removed", location, op, "request", name=name)
            continue
        for scheme, scopes in schemes.items():
            new_scopes = after[name].get(scheme, set())
            for scope in sorted(new_scopes - scopes):
                ctx.add(f"{prefix}-scope-added", location, op, "request", name=scheme, scope=scope)
            for scope in sorted(scopes - new_scopes):
                ctx.add(f"{prefix}-scope-removed", location, op, "request", name=scheme, scope=scope)


def compare_operation_security(ctx: Context, old: dict[str, Any], new: dict[str, Any], location: str, op: str) -> None:
    """The requirements of one operation, when either side states its own (otherwise the global ones apply)."""
    if "security" not in old and "security" not in new:
        return
    old_value = old["security"] if "security" in old else ctx.old.get("security")
    new_value = new["security"] if "security" in new else ctx.new.get("security")
    _compare(ctx, old_value, new_value, f"{location}/security", op, "api-security")


def _flows(scheme: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(name): as_dict(flow) for name, flow in as_dict(scheme.get("flows")).items()}


def _compare_scheme(ctx: Context, before: dict[str, Any], after: dict[str, Any], where: str, name: str) -> None:
    if before.get("type") != after.get("type"):
        ctx.add("api-security-component-type-changed", where, None, "none", name=name)
    old_flows, new_flows = _flows(before), _flows(after)
    old_scopes: dict[str, Any] = {}
    new_scopes: dict[str, Any] = {}
    for flow in old_flows.values():
        old_scopes.update(as_dict(flow.get("scopes")))
    for flow in new_flows.values():
        new_scopes.update(as_dict(flow.get("scopes")))
    for flow_name in sorted(set(old_flows) & set(new_flows)):
        for key, kind in (
            ("authorizationUrl", "api-security-component-oauth-url-changed"),
            ("tokenUrl", "api-security-component-oauth-token-url-changed"),
        ):
            if old_flows[flow_name].get(key) != new_flows[flow_name].get(key):
                ctx.add(kind, where, None, "none", name=name)
    for scope in sorted(set(new_scopes) - set(old_scopes)):
        ctx.add("api-security-component-oauth-scope-added", where, None, "none", name=name, scope=scope)
    for scope in sorted(set(old_scopes) - set(new_scopes)):
        ctx.add("api-security-component-oauth-scope-removed", where, None, "none", name=name, scope=scope)
    for scope in sorted(set(old_scopes) & set(new_scopes)):
        if old_scopes[scope] != new_scopes[scope]:
            ctx.add("api-security-component-oauth-scope-changed", where, None, "none", name=name, scope=scope)


def compare_security(ctx: Context) -> None:
    """The global requirements and ``components.securitySchemes``."""
    _compare(ctx, ctx.old.get("security"), ctx.new.get("security"), "/security", None, "api-global-security")
    old_schemes = as_dict(as_dict(ctx.old.get("components")).get("securitySchemes"))
    new_schemes = as_dict(as_dict(ctx.new.get("components")).get("securitySchemes"))
    for name in new_schemes:
        if name not in old_schemes:
            where = f"/components/securitySchemes/{escape_pointer(name)}"
            ctx.add("api-security-component-added", where, None, "none", name=name)
    for name, scheme in old_schemes.items():
        where = f"/components/securitySchemes/{escape_pointer(name)}"
        if name not in new_schemes:
            ctx.add("api-security-component-removed", where, None, "none", name=name)
            continue
        _compare_scheme(ctx, as_dict(scheme), as_dict(new_schemes[name]), where, name)
