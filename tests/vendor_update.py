"""A simulated vendor update: a maintainer's checkout in a temporary git repository, edits to the vendor's pages,
and the transcript of the commands run on it (shared by the loop test and `make readme-diff`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import ROOT, Result, run_cli

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
PAGES = Path("specs/vendor/pages")
README_MARKERS = re.compile(
    r"(<!-- update-example:start -->\n```text\n)(.*?)(```\n<!-- update-example:end -->)", re.DOTALL
)
EPOCH = "1764288000"
"""SOURCE_DATE_EPOCH of every release in the simulation, so that its output is the same on every run."""

_DEVICE_DATA = '"DeviceData":{"type":"object","properties":{'
_WORKFLOW_REF = '{"$ref":"#/components/schemas/Workflow"}'

EDITS: dict[str, list[tuple[str, str]]] = {
    # A new optional property on a request schema: minor.
    "additive": [(_DEVICE_DATA, _DEVICE_DATA + '"serialNumber":{"type":"string","description":"Serial number."},')],
    # A lower limit on the request's lists: a client that followed the old contract may be refused: major.
    "breaking": [('"maxItems":10000', '"maxItems":5000')],
    # A reworded description: patch.
    "documentation": [('"The reason behind triggering the action."', '"Why the workflow was triggered."')],
    # triggerMethods renamed triggers: the overlay's two actions on triggerMethods stop applying.
    "rename": [('"triggerMethods"', '"triggers"')],
    # The vendor now says what overlay action 18 adds (a non-empty workflowId): the action is redundant.
    "adopted": [('"workflowId":{"type":"string",', '"workflowId":{"minLength":1,"type":"string",')],
}


def make_checkout(root: Path) -> Path:
    """A git repository holding a copy of specs/ (with the vendor pages), generated/ and .gitignore, all committed."""
    for name in ("specs", "generated"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", ".*cache"))
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")  # the lock file beside generated/ is ignored, as here
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    commit(root, "start")
    return root


def commit(root: Path, message: str) -> None:
    subprocess.run([*GIT, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-qm", message], check=True)


def edit_pages(root: Path, edit: str) -> None:
    """Apply one simulated vendor change to every page of the checkout (a schema may appear on several pages)."""
    changed = False
    for page in sorted((root / PAGES).rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        edited = text
        for old, new in EDITS[edit]:
            edited = edited.replace(old, new)
        if edited != text:
            page.write_text(edited, encoding="utf-8")
            changed = True
    assert changed, f"edit {edit!r} changed no page"


def transcript(steps: list[tuple[str, Result]]) -> str:
    """Commands and what they printed (stdout, then stderr), as a terminal shows them."""
    return "".join(f"$ {command}\n{result.stdout}{result.stderr}" for command, result in steps)


PUBLISH_LABEL = "nexthink-codegen publish --repository-url http://127.0.0.1:8080/"


def release_and_publish(root: Path, index: str, version: str) -> list[tuple[str, Result]]:
    dry = run_cli("release", "--dry-run")
    assert dry.status == 0 and dry.stdout.startswith(f"would release {version} "), dry.stdout + dry.stderr
    assert "would be refused" not in dry.stdout
    release = run_cli("release")
    assert release.status == 0, release.stderr
    commit(root, f"release {version}")
    published = run_cli("publish", "--repository-url", f"{index}/")
    assert published.status == 0 and published.stdout.startswith(f"published {version}: "), published.stderr
    return [
        ("nexthink-codegen release --dry-run", dry),
        ("nexthink-codegen release", release),
        (PUBLISH_LABEL, published),
    ]


def first_update_transcript(root: Path, index: str) -> str:
    """The first release, then the first simulated vendor update taken through the loop; its transcript."""
    release_and_publish(root, index, "1.0.0")
    edit_pages(root, "additive")
    update = run_cli("update")
    assert update.status == 0, update.stderr
    commit(root, "vendor update")
    return transcript([("nexthink-codegen update", update), *release_and_publish(root, index, "1.1.0")])


def _rewrite_readme() -> None:
    """Rewrite the README's loop example from the tool's own output (`make readme-diff`)."""
    from tests.local_index import running_index

    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if not README_MARKERS.search(text):
        raise SystemExit("README.md lacks the update-example markers")
    previous = Path.cwd()
    os.environ.update(SOURCE_DATE_EPOCH=EPOCH, TWINE_USERNAME="maintainer", TWINE_PASSWORD="not-a-secret")
    with tempfile.TemporaryDirectory(prefix="readme-update-") as tmp:
        root = make_checkout(Path(tmp) / "checkout")
        os.chdir(root)
        try:
            with running_index(Path(tmp) / "packages") as index:
                example = first_update_transcript(root, index)
        finally:
            os.chdir(previous)
    readme.write_text(README_MARKERS.sub(lambda m: m.group(1) + example + m.group(3), text), encoding="utf-8")
    print("rewrote the update example in README.md")


if __name__ == "__main__":
    _rewrite_readme()
