"""Fixtures for the workbench's route tests: an app over a temporary workspace, a client over ASGI."""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))  # cli_support, shared with the CLI tests

from cli_support import write_workspace  # noqa: E402
from web_support import form_token  # noqa: E402


@pytest.fixture
def ws(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws")


@pytest.fixture
def client(ws):
    from bulletin.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's word on httpx's successor
        from starlette.testclient import TestClient

        with TestClient(create_app(ws), base_url="http://127.0.0.1:8110", raise_server_exceptions=False,
                        follow_redirects=False) as c:
            c.headers["X-CSRF-Token"] = form_token(ws)  # what every page's <body hx-headers> gives htmx
            yield c



@pytest.fixture
def quick_hashes(monkeypatch):
    """Argon2id at its lowest cost: the tests sign in often; the cost itself is argon2-cffi's."""
    from argon2 import PasswordHasher

    from bulletin.accounts import store

    monkeypatch.setattr(store, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    monkeypatch.setattr(store, "_dummy", [])
