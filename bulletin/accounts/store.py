"""The workbench's accounts, sessions, failed sign-ins and audit trail: SQLite in the workspace's
private folder (`.bulletin/accounts.sqlite3`, WAL), never committed.

Passwords are kept as Argon2id hashes only (argon2-cffi); an unknown name is checked against a dummy
hash so a wrong name takes as long as a wrong password. A session is a random token in the browser's
cookie; only its sha256 is stored, so a copy of the database opens no session. A session ends after a
working day idle, at sign-out, and for every session of an account when its password changes or the
account is removed. After five failed sign-ins for one name or from one address in fifteen minutes,
further tries wait fifteen minutes from the last failure. Every sign-in, sign-out, failure and account
change is a row of the audit table.

Each call opens its own connection (SQLite's open is cheap; no connection is shared between the
workbench's threads); the web calls these methods in a worker thread, never on the event loop.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bulletin.errors import fail
from bulletin.i18n import N_, _
from bulletin.rules.permissions import ROLES, Actor
from bulletin.store.private import PRIVATE_DIR, private_dir
from bulletin.store.workspace import Workspace

DB_NAME = "accounts.sqlite3"
SECRET_NAME = "secret"
IDLE_SECONDS = 8 * 3600        # a working day without a request ends a session
MAX_FAILURES = 5               # failed sign-ins for one name or one address …
THROTTLE_SECONDS = 15 * 60     # … within this time make the next tries wait this long
TOUCH_SECONDS = 60             # a session's last use is written at most once a minute
MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_NAME = 32

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    roles TEXT NOT NULL,
    hash TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    changed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_by_name ON sessions(name);
CREATE TABLE IF NOT EXISTS failures (
    kind TEXT NOT NULL,          -- 'name' or 'address'
    key TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS failures_by_key ON failures(kind, key, at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    who TEXT NOT NULL,           -- the person acting ('' for the command line without accounts)
    what TEXT NOT NULL,          -- sign-in, sign-out, sign-in-failed, sign-in-throttled, account-added …
    subject TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
"""

AUDIT_WORDS = {"sign-in": N_("signed in"), "sign-out": N_("signed out"),
               "sign-in-failed": N_("failed sign-in"), "sign-in-throttled": N_("sign-in refused while waiting"),
               "account-added": N_("account added"), "account-removed": N_("account removed"),
               "password-changed": N_("password changed"), "roles-changed": N_("roles changed")}

_schema_made: set[Path] = set()


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a database made by an earlier version up to the schema: columns added since are added
    (ALTER TABLE keeps every row; the new column's default fills them)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(accounts)")}
    if "unit" not in columns:
        conn.execute("ALTER TABLE accounts ADD COLUMN unit TEXT NOT NULL DEFAULT ''")  # the databases this process has already given their tables
_hasher = PasswordHasher()  # Argon2id with argon2-cffi's recommended cost (RFC 9106's low-memory choice)
_dummy: list[str] = []


def _dummy_hash() -> str:
    if not _dummy:
        _dummy.append(_hasher.hash(secrets.token_hex(16)))
    return _dummy[0]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Account:
    name: str
    roles: tuple[str, ...]
    created: float
    changed: float
    sessions: int = 0
    unit: str = ""      # a submitter's department (信息报送); "" for every other role


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in: a session token, or why not (`wait` seconds when throttled)."""

    token: str = ""
    actor: Actor | None = None
    refused: str = ""      # "" | "wrong" | "throttled"
    wait: int = 0


def check_name(name: str) -> str:
    """An account name as given, or a BulletinError saying what is wrong with it."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise fail("bulletin user", None, _("the account needs a name"), _("e.g. bulletin user add 张明 --role editor"))
    if len(name) > MAX_NAME:
        raise fail("bulletin user", None, _("the name {name} is longer than {n} characters").format(name=name, n=MAX_NAME))
    if any(ch.isspace() or unicodedata.category(ch)[0] in "CZ" or ch in "<>\"'&/\\:" for ch in name):
        raise fail("bulletin user", None, _("the name {name!r} has a space or a sign a name cannot have").format(name=name),
                   _("use letters, digits, '.', '_' or '-', e.g. 张明 or zhang.ming"))
    return name


def check_roles(roles) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(r.strip() for r in roles if r and r.strip()))
    if not chosen:
        raise fail("bulletin user", None, _("the account needs at least one role"),
                   _("choose from {roles}").format(roles=", ".join(ROLES)))
    for role in chosen:
        if role not in ROLES:
            raise fail("bulletin user", None, _("unknown role {role!r}").format(role=role),
                       _("choose from {roles}").format(roles=", ".join(ROLES)))
    return tuple(r for r in ROLES if r in chosen)


def check_password(password: str, name: str = "") -> str:
    """The password, or a BulletinError: at least eight characters, not the name, not one character repeated."""
    if len(password) < MIN_PASSWORD:
        raise fail("bulletin user", None, _("the password is shorter than {n} characters").format(n=MIN_PASSWORD),
                   _("choose a longer one; a few words together are easy to remember"))
    if len(password) > MAX_PASSWORD:
        raise fail("bulletin user", None, _("the password is longer than {n} characters").format(n=MAX_PASSWORD))
    if password != password.strip() or any(unicodedata.category(ch)[0] == "C" for ch in password):
        raise fail("bulletin user", None, _("the password begins or ends with a space or has a control character"))
    if name and password.casefold() == name.casefold():
        raise fail("bulletin user", None, _("the password may not be the account's name"))
    if len(set(password)) == 1:
        raise fail("bulletin user", None, _("the password is one character repeated"), _("choose one that is harder to guess"))
    return password


def check_unit(roles: tuple[str, ...], unit: str, known_units=None) -> str:
    """The unit an account with `roles` belongs to: a submitter sends for exactly one unit (one of
    `known_units` when given: the workspace's units, commands.submissions.units); no other role has one."""
    unit = " ".join(unicodedata.normalize("NFC", unit or "").split())
    if "submitter" in roles:
        if not unit:
            raise fail("bulletin user", None, _("a submitter sends for one unit: name it with --unit"),
                       _("e.g. bulletin user add 李华 --role submitter --unit 市税务局"))
        if known_units is not None and unit not in known_units:
            raise fail("bulletin user", None, _("{unit} is not one of the workspace's units").format(unit=unit),
                       _("the units are {units}; list them in bulletin.toml [submissions] units").format(
                           units=_("、").join(known_units) or _("none yet")))
        if len(roles) > 1:
            raise fail("bulletin user", None, _("a submitter account has no other role"),
                       _("give the editors, reviewers and signers accounts of their own"))
        return unit
    if unit:
        raise fail("bulletin user", None, _("only a submitter belongs to a unit (--unit)"),
                   _("leave out --unit, or give the account the role submitter"))
    return ""


def _actor(name: str, roles: str, unit: str | None) -> Actor:
    return Actor(name, frozenset(roles.split(",")), unit=unit or "")


class AccountStore:
    """The accounts of the workspace `ws` (`clock` is for tests: time in seconds)."""

    def __init__(self, ws: Workspace, idle_seconds: int = IDLE_SECONDS, clock: Callable[[], float] = time.time):
        self.ws = ws
        self.path = Path(ws.root) / PRIVATE_DIR / DB_NAME
        self.idle_seconds = idle_seconds
        self.clock = clock

    # the database
    @contextlib.contextmanager
    def _db(self, create: bool = True) -> Iterator[sqlite3.Connection]:
        if create:
            private_dir(self.ws.root)
        fresh = not self.path.exists()
        conn = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        try:
            if fresh:
                os.chmod(self.path, 0o600)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=15000")
            if fresh or self.path not in _schema_made:
                conn.execute("PRAGMA journal_mode=WAL")  # kept by the database file once set
                conn.executescript(SCHEMA)
                _migrate(conn)
                _schema_made.add(self.path)
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction that takes the write lock at once (no lost update between two sign-ins)."""
        with self._db() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _audit(self, conn, who: str, what: str, subject: str = "", address: str = "", detail: str = "") -> None:
        conn.execute("INSERT INTO audit (at, who, what, subject, address, detail) VALUES (?, ?, ?, ?, ?, ?)",
                     (self.clock(), who, what, subject, address, detail))

    # accounts
    def any(self) -> bool:
        """Does any account exist? (A workspace without the database has none; this creates nothing.)"""
        if not self.path.is_file():
            return False
        with self._db(create=False) as conn:
            return conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def actor(self, name: str) -> Actor | None:
        if not self.path.is_file():
            return None
        with self._db(create=False) as conn:
            row = conn.execute("SELECT name, roles, unit FROM accounts WHERE name = ?", (name,)).fetchone()
        return _actor(*row) if row else None

    def accounts(self) -> list[Account]:
        if not self.path.is_file():
            return []
        with self._db(create=False) as conn:
            rows = conn.execute("SELECT a.name, a.roles, a.created, a.changed, COUNT(s.token_sha256), a.unit "
                                "FROM accounts a LEFT JOIN sessions s ON s.name = a.name AND s.last_seen > ? "
                                "GROUP BY a.name ORDER BY a.name", (self.clock() - self.idle_seconds,)).fetchall()
        return [Account(n, tuple(r.split(",")), c, ch, s, u or "") for n, r, c, ch, s, u in rows]

    def add(self, name: str, roles, password: str, by: str = "", unit: str = "", known_units=None) -> Account:
        """A new account; a submitter's `unit` is required (one of `known_units` when given), others have none."""
        name, roles = check_name(name), check_roles(roles)
        unit = check_unit(roles, unit, known_units)
        digest = _hasher.hash(check_password(password, name))
        now = self.clock()
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise fail("bulletin user", None, _("there is already an account named {name}").format(name=name),
                           _("choose another name, or change its password with: bulletin user passwd {name}").format(
                               name=name))
            conn.execute("INSERT INTO accounts (name, roles, hash, unit, created, changed) VALUES (?, ?, ?, ?, ?, ?)",
                         (name, ",".join(roles), digest, unit, now, now))
            self._audit(conn, by, "account-added", name, detail=",".join(roles) + (f" {unit}" if unit else ""))
        return Account(name, roles, now, now, unit=unit)

    def _existing(self, conn, name: str) -> None:
        if not conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
            raise fail("bulletin user", None, _("there is no account named {name}").format(name=name),
                       _("bulletin user list shows the accounts"))

    def set_password(self, name: str, password: str, by: str = "") -> None:
        """A new password; every session of the account ends."""
        digest = _hasher.hash(check_password(password, name))
        with self._write() as conn:
            self._existing(conn, name)
            conn.execute("UPDATE accounts SET hash = ?, changed = ? WHERE name = ?", (digest, self.clock(), name))
            conn.execute("DELETE FROM sessions WHERE name = ?", (name,))
            self._audit(conn, by, "password-changed", name)

    def set_roles(self, name: str, roles, by: str = "", unit: str | None = None, known_units=None) -> None:
        """New roles (and with them the unit: `unit` None keeps a submitter's unit, drops it otherwise)."""
        roles = check_roles(roles)
        with self._write() as conn:
            self._existing(conn, name)
            if unit is None:
                (kept,), = conn.execute("SELECT unit FROM accounts WHERE name = ?", (name,)).fetchall()
                unit = (kept or "") if "submitter" in roles else ""
            unit = check_unit(roles, unit, known_units)
            conn.execute("UPDATE accounts SET roles = ?, unit = ?, changed = ? WHERE name = ?",
                         (",".join(roles), unit, self.clock(), name))
            self._audit(conn, by, "roles-changed", name, detail=",".join(roles) + (f" {unit}" if unit else ""))

    def remove(self, name: str, by: str = "") -> None:
        """The account and its sessions go; its audit rows stay."""
        with self._write() as conn:
            self._existing(conn, name)
            conn.execute("DELETE FROM sessions WHERE name = ?", (name,))
            conn.execute("DELETE FROM accounts WHERE name = ?", (name,))
            self._audit(conn, by, "account-removed", name)

    # signing in
    def _throttled(self, conn, name: str, address: str, now: float) -> int:
        """Seconds the next try must wait (0: none)."""
        wait = 0
        for kind, key in (("name", name), ("address", address)):
            if not key:
                continue
            rows = conn.execute("SELECT COUNT(*), MAX(at) FROM failures WHERE kind = ? AND key = ? AND at > ?",
                                (kind, key, now - THROTTLE_SECONDS)).fetchone()
            if rows[0] >= MAX_FAILURES:
                wait = max(wait, int(rows[1] + THROTTLE_SECONDS - now) + 1)
        return wait

    def sign_in(self, name: str, password: str, address: str = "") -> SignIn:
        name = unicodedata.normalize("NFC", name or "").strip()[:MAX_NAME * 2]
        now = self.clock()
        with self._db() as conn:
            wait = self._throttled(conn, name, address, now)
            if wait:
                self._audit(conn, name, "sign-in-throttled", name, address)
                return SignIn(refused="throttled", wait=wait)
            row = conn.execute("SELECT roles, hash, unit FROM accounts WHERE name = ?", (name,)).fetchone()
        stored = row[1] if row else _dummy_hash()
        try:
            good = _hasher.verify(stored, password[:MAX_PASSWORD * 4]) and row is not None
        except (VerificationError, InvalidHashError):
            good = False
        with self._write() as conn:
            if not good:
                conn.execute("INSERT INTO failures (kind, key, at) VALUES ('name', ?, ?)", (name, now))
                if address:
                    conn.execute("INSERT INTO failures (kind, key, at) VALUES ('address', ?, ?)", (address, now))
                conn.execute("DELETE FROM failures WHERE at < ?", (now - 2 * THROTTLE_SECONDS,))
                self._audit(conn, name, "sign-in-failed", name, address)
                return SignIn(refused="wrong")
            if _hasher.check_needs_rehash(stored):
                conn.execute("UPDATE accounts SET hash = ? WHERE name = ?", (_hasher.hash(password), name))
            token = secrets.token_urlsafe(32)
            conn.execute("INSERT INTO sessions (token_sha256, name, created, last_seen, address) VALUES (?, ?, ?, ?, ?)",
                         (token_digest(token), name, now, now, address))
            conn.execute("DELETE FROM failures WHERE (kind = 'name' AND key = ?) OR (kind = 'address' AND key = ?)",
                         (name, address))
            conn.execute("DELETE FROM sessions WHERE last_seen < ?", (now - self.idle_seconds,))
            self._audit(conn, name, "sign-in", name, address)
        return SignIn(token=token, actor=_actor(name, row[0], row[2]))

    def session(self, token: str) -> Actor | None:
        """The person whose session `token` is, or None (unknown, ended or idle too long)."""
        if not token or len(token) > 128 or not self.path.is_file():
            return None
        now = self.clock()
        digest = token_digest(token)
        with self._db(create=False) as conn:
            row = conn.execute("SELECT a.name, a.roles, s.last_seen, a.unit FROM sessions s "
                               "JOIN accounts a ON a.name = s.name WHERE s.token_sha256 = ?", (digest,)).fetchone()
            if row is None:
                return None
            if row[2] < now - self.idle_seconds:
                conn.execute("DELETE FROM sessions WHERE token_sha256 = ?", (digest,))
                return None
            if now - row[2] > TOUCH_SECONDS:
                conn.execute("UPDATE sessions SET last_seen = ? WHERE token_sha256 = ?", (now, digest))
        return _actor(row[0], row[1], row[3])

    def sign_out(self, token: str, address: str = "") -> None:
        if not token or not self.path.is_file():
            return
        digest = token_digest(token)
        with self._write() as conn:
            row = conn.execute("SELECT name FROM sessions WHERE token_sha256 = ?", (digest,)).fetchone()
            conn.execute("DELETE FROM sessions WHERE token_sha256 = ?", (digest,))
            if row:
                self._audit(conn, row[0], "sign-out", row[0], address)

    def audit(self, limit: int = 200) -> list[dict]:
        """The latest audit rows, newest first."""
        if not self.path.is_file():
            return []
        with self._db(create=False) as conn:
            rows = conn.execute("SELECT at, who, what, subject, address, detail FROM audit ORDER BY id DESC LIMIT ?",
                                (limit,)).fetchall()
        return [dict(zip(("at", "who", "what", "subject", "address", "detail"), r)) for r in rows]

    # the form tokens
    def secret(self) -> bytes:
        """The workspace's persistent secret (made once, 0600, in the private folder; never one per start)."""
        path = private_dir(self.ws.root) / SECRET_NAME
        try:
            data = path.read_bytes()
            if len(data) >= 32:
                return data
        except FileNotFoundError:
            pass
        fresh = path.with_name(f".{SECRET_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
        try:
            os.link(fresh, path)  # whole or not at all; a secret made meanwhile by another process wins
        except FileExistsError:
            pass
        finally:
            fresh.unlink()
        return path.read_bytes()

    def form_token(self, session_token: str = "") -> str:
        """The token every state-changing form carries: bound to the session (or to no session, before
        signing in), made with the secret, so another site cannot know it."""
        subject = token_digest(session_token) if session_token else "anonymous"
        return hmac.new(self.secret(), subject.encode(), hashlib.sha256).hexdigest()
