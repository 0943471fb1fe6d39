"""Every Nexthink API ingests, and `--no-overlay` generates a package that `check` then finds up to date.

The seven APIs: Workflows (``specs/vendor/pages/``) and the six others (``tests/vendor_pages/``, copied unchanged
from the same documentation snapshot). The quality bar for each (imports, schemas, ruff, mypy) runs in
``tests/corpus/test_corpus.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.ingest import VENDOR_OPERATION_ID, Fragment, ingest
from tests.conftest import run_cli
from tests.corpus.run import nexthink_apis

APIS = nexthink_apis()


def test_all_seven_apis_are_held() -> None:
    expected = {"campaigns", "data-management", "enrichment", "nql", "remote-actions", "spark", "workflows"}
    assert set(APIS) == expected


@pytest.mark.parametrize("api", sorted(APIS))
def test_vendor_api_ingests_and_generates_a_package_check_accepts(api: str, tmp_path: Path) -> None:
    spec = tmp_path / f"{api}.yaml"
    ingested = run_cli("ingest", "--docs", APIS[api], "--api", api, "--out", spec)
    assert ingested.status == 0, ingested.stderr
    assert yaml.safe_load(spec.read_text())["paths"]
    result = run_cli("generate", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", "--package", "models")
    assert result.status == 0, result.stderr
    check = run_cli("check", "--spec", spec, "--no-overlay", "--out", tmp_path / "out", "--package", "models")
    assert check.status == 0, check.stdout


def test_nql_keeps_both_operations_that_share_an_operation_id(tmp_path: Path) -> None:
    spec = tmp_path / "nql.yaml"
    assert run_cli("ingest", "--docs", APIS["nql"], "--api", "nql", "--out", spec).status == 0
    paths = yaml.safe_load(spec.read_text())["paths"]
    v1, v2 = paths["/api/v1/nql/execute"]["post"], paths["/api/v2/nql/execute"]["post"]
    assert (v1["operationId"], v1[VENDOR_OPERATION_ID]) == ("execute-post-api-v1-nql-execute", "execute")
    assert (v2["operationId"], v2[VENDOR_OPERATION_ID]) == ("execute-post-api-v2-nql-execute", "execute")
    assert paths["/api/v1/nql/export"]["get"]["operationId"] == "export-get"  # used once: left alone
    assert VENDOR_OPERATION_ID not in paths["/api/v1/nql/export"]["get"]


def _fragment(page: str, path: str, operation_id: str) -> Fragment:
    operation = {"operationId": operation_id, "responses": {"200": {"description": "OK"}}}
    document = {"openapi": "3.0.1", "info": {"title": "T", "version": "1"}, "paths": {path: {"get": operation}}}
    return Fragment(page, 1, json.loads(json.dumps(document)))


def test_shared_operation_ids_are_renamed_whatever_the_page_order() -> None:
    fragments = [_fragment("a.md", "/v1/items", "list"), _fragment("b.md", "/v2/items:search", "list")]
    forward, backward = ingest(fragments, "spec.yaml"), ingest(fragments[::-1], "spec.yaml")
    assert forward == backward
    ids = {path: item["get"]["operationId"] for path, item in forward["paths"].items()}
    assert ids == {"/v1/items": "list-get-v1-items", "/v2/items:search": "list-get-v2-items-search"}


def test_a_renamed_operation_id_that_is_still_taken_is_one_line_and_exit_2(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "api").mkdir(parents=True)
    fragments = [
        _fragment("", "/v1/items", "list"),
        _fragment("", "/v2/items", "list"),
        _fragment("", "/other", "list-get-v1-items"),
    ]
    for number, fragment in enumerate(fragments):
        page = f"# page\n\n```json\n{json.dumps(fragment.document)}\n```\n"
        (docs / "api" / f"p{number}.md").write_text(page)
    result = run_cli("ingest", "--docs", docs, "--api", "api", "--out", tmp_path / "spec.yaml")
    assert result.status == 2
    assert result.stderr.count("\n") == 1 and "operationId 'list' is shared" in result.stderr
    assert "/paths/~1v1~1items/get/operationId" in result.stderr
    assert not (tmp_path / "spec.yaml").exists()
