"""The engine's call alone, as `generate` makes it: the floor `make bench` measures beside both CLIs.

    python benchmarks/engine_alone.py prepare SPEC OVERLAY|- INPUT   # untimed: read, normalise, pickle
    python benchmarks/engine_alone.py run INPUT                      # timed: a fresh interpreter, one engine call

``run`` pays what any `generate` that runs the engine once over the whole spec must pay: the interpreter's start,
the imports of the engine and of the module that calls it (``generator.render``), and the engine call itself with
the project's templates and settings (``render._run_engine``, the cycle collector paused as the command pauses
it), on one core. It reads no spec (only the pickled engine input, as `generate` receives it from the process that
read the spec) and checks, lays out, formats and writes nothing, so it is a lower bound, not a `generate`.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare(spec: Path, overlay: Path | None, target: Path) -> None:
    """Pickle the engine's input for ``spec`` (with ``overlay``): what `generate` hands the engine."""
    from generator import pipeline
    from generator.config import GenerateOptions

    options = GenerateOptions(spec=spec, overlay=overlay, out=target.parent / "unused", package="models")
    read = pipeline._read_inputs(options, reuse=False, keep_effective=False)
    with target.open("wb") as file:
        pickle.dump((read.engine_input, read.plan.field_names, read.where), file, protocol=pickle.HIGHEST_PROTOCOL)


def run(source: Path) -> None:
    """One engine call on the pickled input, in this (fresh) interpreter."""
    from generator.documents import collector_paused
    from generator.render import _run_engine

    with source.open("rb") as file:
        engine_input, aliases, where = pickle.load(file)
    with collector_paused():
        modules = _run_engine(engine_input, where, aliases)
    if not modules:
        raise SystemExit(f"{source}: the engine wrote no module")
    # As the command line does (`generator.cli.run`): end here, without freeing every object one by one.
    sys.stdout.flush()
    os._exit(0)


def main(argv: list[str]) -> None:
    if argv[:1] == ["prepare"] and len(argv) == 4:
        prepare(Path(argv[1]), None if argv[2] == "-" else Path(argv[2]), Path(argv[3]))
    elif argv[:1] == ["run"] and len(argv) == 2:
        run(Path(argv[1]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
