"""Writes need a key (or, without keys, this machine and a loopback binding); reads stay open; pages
of other origins may not write; CORS only when configured. Errors are the one JSON shape, in Chinese."""

from __future__ import annotations

import hmac
import logging
import shutil
import subprocess
from pathlib import Path

import pytest

import search_api.security
from search_api.security import WritePolicy
from search_api.settings import Settings
from tests.api.conftest import MemoEmbedder
from tests.api.trust_fixtures import AUTH, KEY, KEYS, Served, keyed, seeded_services, serve, snapshot
from tests.conftest import ROOT

__all__ = ["keyed"]  # the fixture, imported by name

TEXT = "关于楚怡基地建设的通知\n\n各地要将楚怡文化传承基地建设经费纳入年度预算，确保基地如期建成开放。\n".encode()


def _upload(served: Served, headers: dict[str, str] | None = None, name: str = "通知.txt") -> int:
    r = served.client.post("/api/documents", files={"file": (name, TEXT, "text/plain")}, headers=headers or {})
    return r.status_code


def _writes(served: Served, headers: dict[str, str]) -> dict[str, int]:
    """Every write route once, with the given headers: route → status."""
    c = served.client
    doc_id = served.store.list_documents()[0].id
    return {
        "upload": _upload(served, headers),
        "delete": c.delete(f"/api/documents/{doc_id}", headers=headers).status_code,
        "cypher": c.post("/api/cypher", json={"query": "RETURN 1"}, headers=headers).status_code,
        "reload": c.post("/api/reference/reload", headers=headers).status_code,
        "cancel": c.delete("/api/jobs/nothing", headers=headers).status_code,
    }


def test_writes_need_a_key_reads_stay_open(keyed: Served) -> None:
    before = snapshot(keyed.store)
    assert set(_writes(keyed, {}).values()) == {401}
    assert snapshot(keyed.store) == before
    r = keyed.client.post("/api/documents", files={"file": ("a.txt", TEXT, "text/plain")})
    error = r.json()["error"]
    assert error["code"] == "key_required" and "API 密钥" in error["message"]
    assert r.headers["www-authenticate"].startswith("Bearer")

    wrong: dict[str, str | bytes]
    for wrong in ({"X-API-Key": KEY + "x"}, {"X-API-Key": ""}, {"Authorization": f"Basic {KEY}"},
                  {"Authorization": "Bearer"}, {"X-API-Key": "钥匙".encode()}):  # fmt: skip
        r = keyed.client.post("/api/cypher", json={"query": "RETURN 1"}, headers=wrong)
        assert r.status_code == 401, wrong
        assert r.json()["error"]["code"] in ("key_invalid", "key_required")
    assert snapshot(keyed.store) == before

    # Reads: no key needed.
    assert keyed.client.post("/api/search", json={"query": "楚怡"}).status_code == 200
    assert keyed.client.post("/api/ask", json={"question": "楚怡文化传承基地又叫什么？"}).status_code == 200
    assert keyed.client.get("/api/documents").status_code == 200
    health = keyed.client.get("/healthz").json()
    assert health["writes"] == "key" and "API key" in health["writes_note"]


def test_either_key_in_either_header_writes(keyed: Served) -> None:
    assert _upload(keyed, AUTH) == 201
    assert _upload(keyed, {"Authorization": "Bearer second-key-fedcba9876543210"}, name="另一份.txt") == 201
    statuses = _writes(keyed, {"authorization": f"bearer {KEY}"})
    assert statuses == {"upload": 201, "delete": 200, "cypher": 501, "reload": 202, "cancel": 404}


def test_keys_are_compared_in_constant_time(keyed: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    compare = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(search_api.security.hmac, "compare_digest", spy)
    keyed.client.post("/api/cypher", json={"query": "RETURN 1"}, headers=AUTH)
    # Every configured key is compared, the matching one first or not, with hmac.compare_digest.
    assert [b for _, b in calls] == [k.encode() for k in KEYS.split(",")]


def test_without_keys_only_this_machine_writes(memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    services, store = seeded_services(memo_embedder, tmp_path / "data")
    with serve(services) as local:  # the in-process client: no network peer, like a unix socket
        assert local.get("/healthz").json()["writes"] == "loopback"
        assert _upload(Served(local, services)) == 201
    before = snapshot(store)
    with serve(services, client=("203.0.113.7", 40000)) as remote:
        r = remote.post("/api/documents", files={"file": ("b.txt", TEXT, "text/plain")})
        assert r.status_code == 403 and r.json()["error"]["code"] == "write_refused"
        assert "本机" in r.json()["error"]["message"]
        assert remote.post("/api/search", json={"query": "楚怡"}).status_code == 200
    with serve(services, client=("::1", 40000)) as loopback6:
        assert loopback6.delete("/api/documents/doc:none").status_code == 404  # allowed through, then unknown
    assert snapshot(store) == before
    store.close()


def test_bound_elsewhere_without_keys_refuses_every_write(
    memo_embedder: MemoEmbedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    services, store = seeded_services(memo_embedder, tmp_path / "data", host="0.0.0.0")
    before = snapshot(store)
    with caplog.at_level(logging.WARNING, logger="search_api.app"), serve(services) as client:
        served = Served(client, services)
        assert set(_writes(served, {}).values()) == {403}
        r = client.post("/api/cypher", json={"query": "RETURN 1"})
        assert r.json()["error"]["code"] == "write_refused" and "0.0.0.0" in r.json()["error"]["message"]
        health = client.get("/healthz").json()
        assert health["writes"] == "refused" and "0.0.0.0" in health["writes_note"]
    assert any("every write is refused" in m for m in caplog.messages), caplog.messages
    assert snapshot(store) == before
    store.close()


@pytest.mark.parametrize(
    ("host", "mode"),
    [("127.0.0.1", "loopback"), ("localhost", "loopback"), ("::1", "loopback"), ("127.0.0.2", "loopback"),
     ("0.0.0.0", "refused"), ("::", "refused"), ("192.168.1.5", "refused"), ("example.org", "refused")],
)  # fmt: skip
def test_write_mode_follows_the_binding(host: str, mode: str) -> None:
    assert WritePolicy.from_settings(Settings(host=host)).mode == mode
    assert WritePolicy.from_settings(Settings(host=host, api_keys=KEY)).mode == "key"  # type: ignore[arg-type]


def test_pages_of_other_origins_may_not_write(memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    """Without keys a page on any site could post a form to 127.0.0.1: the Origin is what stops it."""
    services, store = seeded_services(memo_embedder, tmp_path / "data")
    before = snapshot(store)
    with serve(services) as client:
        served = Served(client, services)
        for headers in (
            {"Origin": "https://evil.example"},
            {"Origin": "null"},
            {"Sec-Fetch-Site": "cross-site"},
            # Same origin by the headers, but not a loopback name: a DNS-rebinding page.
            {"Origin": "http://rebind.example:8000", "Host": "rebind.example:8000"},
        ):
            statuses = _writes(served, headers)
            assert set(statuses.values()) == {403}, (headers, statuses)
        r = client.post("/api/documents", files={"file": ("c.txt", TEXT, "text/plain")},
                        headers={"Origin": "https://evil.example"})  # fmt: skip
        assert r.json()["error"]["code"] == "cross_origin" and "其他网站" in r.json()["error"]["message"]
        assert snapshot(store) == before
        # The page served from this machine may.
        own = {"Origin": "http://127.0.0.1:8000", "Host": "127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}
        assert _upload(served, own) == 201
    store.close()


def test_cors_is_off_by_default_and_answers_as_configured(memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    preflight = {"Origin": "https://research.example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "x-api-key"}  # fmt: skip
    services, store = seeded_services(memo_embedder, tmp_path / "data", api_keys=KEYS)
    with serve(services) as client:
        r = client.options("/api/documents", headers=preflight)
        assert r.status_code == 405 and "access-control-allow-origin" not in r.headers
        assert r.json()["error"]["code"] == "method_not_allowed"
        r = client.post("/api/search", json={"query": "楚怡"}, headers={"Origin": "https://research.example.org"})
        assert "access-control-allow-origin" not in r.headers
    allowed = services.settings.model_copy(update={"cors_origins": "https://research.example.org"})
    services.settings = allowed
    with serve(services) as client:
        r = client.options("/api/documents", headers=preflight)
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "https://research.example.org"
        assert "x-api-key" in r.headers["access-control-allow-headers"].lower()
        r = client.options("/api/documents", headers={**preflight, "Origin": "https://evil.example"})
        assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
        origin = {"Origin": "https://research.example.org"}
        r = client.post("/api/documents", files={"file": ("d.txt", TEXT, "text/plain")}, headers={**origin, **AUTH})
        assert r.status_code == 201 and r.headers["access-control-allow-origin"] == origin["Origin"]
        r = client.post("/api/documents", files={"file": ("e.txt", TEXT, "text/plain")},
                        headers={"Origin": "https://evil.example", **AUTH})  # fmt: skip
        assert r.status_code == 403 and r.json()["error"]["code"] == "cross_origin"
    services.jobs.shutdown()
    store.close()


def test_launchers_bind_loopback_or_need_a_key() -> None:
    run = (ROOT / "scripts" / "run").read_text(encoding="utf-8")
    assert '--host "${CHUYI_HOST:-127.0.0.1}"' in run and "0.0.0.0" not in run
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "CHUYI_API_KEYS" in dockerfile
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "CHUYI_API_KEYS: ${CHUYI_API_KEYS:?set CHUYI_API_KEYS}" in compose


def test_compose_refuses_to_start_without_a_key() -> None:
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose is not installed (.ci/run installs it)")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "NEO4J_PASSWORD": "test-password"}
    cmd = [tool, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"]
    missing = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    assert missing.returncode != 0 and "CHUYI_API_KEYS" in missing.stderr
    ok = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**env, "CHUYI_API_KEYS": KEY})
    assert ok.returncode == 0, ok.stderr

