"""A client generated from our OpenAPI by openapi-python-client uploads a document (the upload field is
declared `format: binary`, so generators make it a file) — against a live uvicorn server.

The generator is a dev dependency (pyproject.toml); CHUYI_OPENAPI_CLIENT_PATH may name a folder that holds
it instead (`pip install --target DIR openapi-python-client`), put on the subprocesses' PYTHONPATH. The
generated client runs with the generator's own dependencies (attrs, httpx)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.api.conftest import LiveServer

UPLOAD = """
import io, json, sys
from chuyi_client import Client
from chuyi_client.api.documents import upload_document_api_documents_post as upload
from chuyi_client.models.upload_document_api_documents_post_body import UploadDocumentApiDocumentsPostBody
from chuyi_client.types import File

text = "# 关于生成客户端上传的通知\\n\\n一、支持湖南工业职业技术学院建设楚怡文化传承基地。\\n".encode()
body = UploadDocumentApiDocumentsPostBody(file=File(payload=io.BytesIO(text), file_name="客户端上传.md"))
r = upload.sync_detailed(client=Client(base_url=sys.argv[1], timeout=120), body=body)
print(json.dumps({"status": r.status_code, "body": json.loads(r.content)}, ensure_ascii=False))
"""


def _generator_env() -> dict[str, str]:
    extra = os.environ.get("CHUYI_OPENAPI_CLIENT_PATH")
    if extra is None and importlib.util.find_spec("openapi_python_client") is None:
        pytest.fail("openapi-python-client is missing: `pip install -e '.[dev]'` (scripts/setup does), or set "
                    "CHUYI_OPENAPI_CLIENT_PATH to a folder holding it")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if extra:
        env["PYTHONPATH"] = extra
    return env


@pytest.mark.slow
@pytest.mark.parametrize("store", ["embedded"], indirect=True)
def test_generated_client_uploads_a_markdown_file(live_server: LiveServer, tmp_path: Path) -> None:
    env = _generator_env()
    with urllib.request.urlopen(live_server.url + "/openapi.json", timeout=30) as r:
        (tmp_path / "openapi.json").write_bytes(r.read())
    out = tmp_path / "gen" / "chuyi_client"
    cmd = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(tmp_path / "openapi.json")]
    cmd += ["--meta", "none", "--output-path", str(out)]
    generated = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert (out / "api" / "documents").is_dir(), generated.stdout + generated.stderr
    body = (out / "models" / "upload_document_api_documents_post_body.py").read_text("utf-8")
    assert "File" in body and "to_multipart" in body  # the field became a file, not a string

    run_env = {**env, "PYTHONPATH": os.pathsep.join(p for p in (str(out.parent), env.get("PYTHONPATH")) if p)}
    ran = subprocess.run(
        [sys.executable, "-c", UPLOAD, live_server.url], env=run_env, capture_output=True, text=True, timeout=300
    )
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    assert result["status"] == 201, result
    assert result["body"]["status"] == "ingested"
    assert result["body"]["document"]["title"] == "关于生成客户端上传的通知"
    with urllib.request.urlopen(live_server.url + "/api/documents", timeout=30) as r:
        titles = [d["title"] for d in json.loads(r.read())["documents"]]
    assert "关于生成客户端上传的通知" in titles
