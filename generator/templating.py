"""The Jinja environment of the project's document templates (Markdown, TOML): one place for its settings."""

from __future__ import annotations

import jinja2

from generator.config import TEMPLATES_DIR

__all__ = ["document_environment"]


def _table_cell(text: object) -> str:
    """Text that stays inside one Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def document_environment(folder: str) -> jinja2.Environment:
    """An environment over ``templates/<folder>/``: block tags leave no blank lines, undefined names fail."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / folder),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _table_cell
    return env
