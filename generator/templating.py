"""The Jinja environments' shared pieces: the settings of the project's document templates (Markdown, TOML), and
the cache of the project's templates compiled in this process or handed over by another (`take_compiled`)."""

from __future__ import annotations

import jinja2
from jinja2.bccache import Bucket

from generator.config import TEMPLATES_DIR

__all__ = ["COMPILED", "compile_all", "document_environment", "take_compiled"]


class _InMemory(jinja2.BytecodeCache):
    """Jinja's compiled code of each template, by Jinja's key for it (its name and file), in memory. Jinja checks
    an entry against the template's source before using it, so a template whose source changed is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (data := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


COMPILED = _InMemory()
"""The compiled templates of every environment of the project's own templates (not the engine's)."""


def compile_all(environment: jinja2.Environment) -> None:
    """Every template of ``environment`` (one that uses `COMPILED`) compiled into `COMPILED`, ahead of use: in a
    process whose `COMPILED.store` another then takes (`take_compiled`)."""
    for name in environment.list_templates():
        environment.get_template(name)


def take_compiled(store: dict[str, bytes]) -> None:
    """Use the templates another process compiled (a forked one, running this same code): about 15 ms of a small
    spec's `generate` that this process then need not spend."""
    COMPILED.store.update(store)


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
        bytecode_cache=COMPILED,
    )
    env.filters["cell"] = _table_cell
    return env
