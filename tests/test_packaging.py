"""The compose file and the scripts that CI and users run."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def test_compose_file_is_valid() -> None:
    commands = []
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0:
        commands.append([docker, "compose"])
    if shutil.which("docker-compose"):
        commands.append([str(shutil.which("docker-compose"))])
    if not commands:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed to check the file with")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "NEO4J_PASSWORD": "test-password", "CHUYI_API_KEYS": "k"}
    for cmd in commands:
        r = subprocess.run(
            [*cmd, "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
            capture_output=True, text=True, check=False, env=env,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        missing = subprocess.run(
            [*cmd, "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
            capture_output=True, text=True, check=False, env={"PATH": env["PATH"], "CHUYI_API_KEYS": "k"},
        )  # fmt: skip
        assert missing.returncode != 0, "a missing NEO4J_PASSWORD must be refused"


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/run" in readme and "bash scripts/test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test" in ci
