"""The accounts store: hashes never plain, sessions that expire and are revoked, sign-ins throttled
after five failures for a name or an address, an audit row for each step, one persistent secret."""
from __future__ import annotations

import sqlite3
import stat
import sys

import pytest

from bulletin.accounts.store import MAX_FAILURES, MAX_SESSIONS, THROTTLE_SECONDS, AccountStore, token_digest
from bulletin.errors import BulletinError
from bulletin.rules.permissions import Actor
from bulletin.store.workspace import Workspace

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Argon2id at its lowest cost: the tests sign in often; the cost itself is argon2-cffi's."""
    from argon2 import PasswordHasher

    from bulletin.accounts import store

    monkeypatch.setattr(store, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    monkeypatch.setattr(store, "_dummy", [])


def test_a_hash_made_at_a_lower_cost_is_made_again_at_sign_in(store, monkeypatch):
    from argon2 import PasswordHasher

    from bulletin.accounts import store as module

    store.add("张明", ["editor"], PASSWORD)
    (weak,), = rows(store, "SELECT hash FROM accounts")
    monkeypatch.setattr(module, "_hasher", PasswordHasher(time_cost=2, memory_cost=128, parallelism=1))
    assert store.sign_in("张明", PASSWORD).token
    (strong,), = rows(store, "SELECT hash FROM accounts")
    assert strong != weak and "t=2" in strong and "m=128" in strong
    assert store.sign_in("张明", PASSWORD).token


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    (tmp_path / "bulletin.toml").write_text("", encoding="utf-8")
    return AccountStore(Workspace(tmp_path), idle_seconds=8 * 3600, clock=clock)


def rows(store, sql):
    with sqlite3.connect(store.path) as conn:
        return conn.execute(sql).fetchall()


def test_no_database_means_no_account_and_nothing_is_created(store):
    assert store.any() is False
    assert store.actor("张明") is None
    assert not store.path.exists()


def test_an_account_keeps_an_argon2id_hash_never_the_password(store):
    store.add("张明", ["editor", "reviewer"], PASSWORD)
    assert store.any() is True
    assert store.actor("张明") == Actor("张明", frozenset({"editor", "reviewer"}))
    (stored,), = rows(store, "SELECT hash FROM accounts")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PASSWORD.encode() not in store.path.read_bytes()
    if sys.platform != "win32":
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert (store.path.parent / ".gitignore").read_text(encoding="utf-8").rstrip().endswith("*")


@pytest.mark.parametrize("name, roles, password, words", [
    ("", ["editor"], PASSWORD, "name"),
    ("张 明", ["editor"], PASSWORD, "space"),
    ("张明", [], PASSWORD, "role"),
    ("张明", ["boss"], PASSWORD, "unknown role"),
    ("张明", ["editor"], "short", "shorter than 8"),
    ("zhangming", ["editor"], "ZhangMing", "name"),
    ("张明", ["editor"], "aaaaaaaaaa", "repeated"),
])
def test_bad_accounts_are_refused_with_their_reason(store, name, roles, password, words):
    with pytest.raises(BulletinError, match=words):
        store.add(name, roles, password)
    assert store.any() is False


def test_a_name_is_taken_once(store):
    store.add("张明", ["editor"], PASSWORD)
    with pytest.raises(BulletinError, match="already an account"):
        store.add("张明", ["admin"], PASSWORD)


def test_a_session_is_a_random_token_stored_only_as_its_sha256(store):
    store.add("张明", ["editor"], PASSWORD)
    signed = store.sign_in("张明", PASSWORD, "10.0.0.5")
    assert signed.token and signed.actor.name == "张明"
    (stored,), = rows(store, "SELECT token_sha256 FROM sessions")
    assert stored == token_digest(signed.token) and signed.token not in store.path.read_bytes().decode("latin-1")
    assert store.session(signed.token) == Actor("张明", frozenset({"editor"}))
    assert store.session("forged") is None


def test_a_session_ends_after_a_working_day_idle_not_while_used(store, clock):
    store.add("张明", ["editor"], PASSWORD)
    token = store.sign_in("张明", PASSWORD).token
    for _hour in range(12):         # used every hour: stays
        clock.now += 3600
        assert store.session(token) is not None
    clock.now += 8 * 3600 + 1        # then idle longer than a working day
    assert store.session(token) is None
    assert rows(store, "SELECT COUNT(*) FROM sessions") == [(0,)]


def test_sign_out_and_a_password_change_and_removal_end_sessions(store):
    store.add("张明", ["editor"], PASSWORD)
    first, second = store.sign_in("张明", PASSWORD).token, store.sign_in("张明", PASSWORD).token
    store.sign_out(first)
    assert store.session(first) is None and store.session(second) is not None
    store.set_password("张明", "another long one")
    assert store.session(second) is None
    assert store.sign_in("张明", PASSWORD).refused == "wrong"
    third = store.sign_in("张明", "another long one").token
    store.remove("张明")
    assert store.session(third) is None and store.actor("张明") is None


def test_a_new_sign_in_beyond_the_cap_ends_the_oldest_session_of_that_account_only(store, clock):
    store.add("张明", ["editor"], PASSWORD)
    store.add("李四", ["editor"], PASSWORD)
    other = store.sign_in("李四", PASSWORD).token
    tokens = []
    for _n in range(MAX_SESSIONS):
        tokens.append(store.sign_in("张明", PASSWORD).token)
        clock.now += 1
    assert all(store.session(t) for t in tokens) and MAX_SESSIONS == 10
    newest = store.sign_in("张明", PASSWORD, "10.0.0.5").token
    assert store.session(tokens[0]) is None                          # the oldest ended
    assert all(store.session(t) for t in tokens[1:]) and store.session(newest) is not None
    assert store.session(other) is not None                           # another person's are untouched
    assert rows(store, "SELECT COUNT(*) FROM sessions WHERE name = '张明'") == [(MAX_SESSIONS,)]
    capped = store.audit()[0]
    assert (capped["what"], capped["subject"], capped["detail"]) == ("sessions-capped", "张明", "1")


def test_the_cap_counts_sessions_made_in_the_same_second_by_their_order(store):
    store.add("张明", ["editor"], PASSWORD)
    tokens = [store.sign_in("张明", PASSWORD).token for _n in range(MAX_SESSIONS + 2)]   # the clock stands still
    assert [store.session(t) is not None for t in tokens] == [False, False] + [True] * MAX_SESSIONS


def test_five_failures_for_a_name_make_the_next_tries_wait_fifteen_minutes(store, clock):
    store.add("张明", ["editor"], PASSWORD)
    for n in range(MAX_FAILURES):
        assert store.sign_in("张明", "wrong password", f"10.0.0.{n}").refused == "wrong"
    refused = store.sign_in("张明", PASSWORD, "10.0.0.99")   # even the right password waits
    assert refused.refused == "throttled" and 0 < refused.wait <= THROTTLE_SECONDS + 1
    clock.now += THROTTLE_SECONDS + 1
    assert store.sign_in("张明", PASSWORD, "10.0.0.99").token


def test_five_failures_from_an_address_throttle_it_for_every_name(store, clock):
    store.add("张明", ["editor"], PASSWORD)
    for n in range(MAX_FAILURES):
        store.sign_in(f"guess{n}", "wrong password", "10.0.0.7")
    assert store.sign_in("张明", PASSWORD, "10.0.0.7").refused == "throttled"
    assert store.sign_in("张明", PASSWORD, "10.0.0.8").token   # another address is not held up


def test_an_unknown_name_fails_like_a_wrong_password(store):
    store.add("张明", ["editor"], PASSWORD)
    assert store.sign_in("李四", PASSWORD).refused == "wrong"


def test_every_step_is_audited(store):
    store.add("张明", ["editor"], PASSWORD, by="admin")
    store.sign_in("张明", "wrong password", "10.0.0.1")
    token = store.sign_in("张明", PASSWORD, "10.0.0.1").token
    store.sign_out(token, "10.0.0.1")
    store.set_password("张明", "another long one", by="张明")
    store.set_roles("张明", ["editor", "signer"], by="admin")
    store.remove("张明", by="admin")
    assert [r["what"] for r in reversed(store.audit())] == [
        "account-added", "sign-in-failed", "sign-in", "sign-out", "password-changed", "roles-changed",
        "account-removed"]
    assert store.audit()[0]["who"] == "admin" and store.audit()[-1]["detail"] == "editor"


def test_the_secret_persists_and_form_tokens_are_bound_to_the_session(store, tmp_path, clock):
    secret = store.secret()
    assert len(secret) >= 32
    again = AccountStore(Workspace(tmp_path), clock=clock)
    assert again.secret() == secret                      # not a new one per start
    if sys.platform != "win32":
        assert stat.S_IMODE((store.path.parent / "secret").stat().st_mode) == 0o600
    assert store.form_token("a") == again.form_token("a") != store.form_token("b")
    assert store.form_token("") != store.form_token("a")
