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


def _scopes(scheme: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for flow in as_dict(scheme.get("flows")).values():
        found |= {str(s) for s in as_dict(as_dict(flow).get("scopes"))}
    return found


def compare_security(ctx: Context) -> None:
    """The global requirements and ``components.securitySchemes``."""
    _compare(ctx, ctx.old.get("security"), ctx.new.get("security"), "/security", None, "api-global-security")
    old_schemes = as_dict(as_dict(ctx.old.get("components")).get("securitySchemes"))
    new_schemes = as_dict(as_dict(ctx.new.get("components")).get("securitySchemes"))
    for name in new_schemes:
        if name not in old_schemes:
            ctx.add(
                "security-scheme-added", f"/components/securitySchemes/{escape_pointer(name)}", None, "none", name=name
            )
    for name, scheme in old_schemes.items():
        where = f"/components/securitySchemes/{escape_pointer(name)}"
        if name not in new_schemes:
            ctx.add("security-scheme-removed", where, None, "none", name=name)
            continue
        before, after = as_dict(scheme), as_dict(new_schemes[name])
        if before.get("type") != after.get("type"):
            ctx.add("security-scheme-type-changed", where, None, "none", name=name)
        old_scopes, new_scopes = _scopes(before), _scopes(after)
        for scope in sorted(new_scopes - old_scopes):
            ctx.add("security-scheme-scope-added", where, None, "none", name=name, scope=scope)
        for scope in sorted(old_scopes - new_scopes):
            ctx.add("security-scheme-scope-removed", where, None, "none", name=name, scope=scope)
