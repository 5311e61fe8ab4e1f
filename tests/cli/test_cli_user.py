"""bulletin user add|passwd|list|remove: passwords asked twice or read from stdin, never shown; bad
input is one clear line (exit 1, in Chinese with --lang zh), never a traceback; serve beyond this
computer only once an account exists, and then only for the names given."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from cli_support import clean_env, write_workspace

PASSWORD = "correct horse battery"


def user(ws, *args, stdin: str | None = None, lang: str = "en"):
    return subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "--lang", lang, *args],
                          input=stdin, capture_output=True, text=True, timeout=120, env=clean_env())


@pytest.fixture
def ws(tmp_path):
    return write_workspace(tmp_path / "ws")


def test_add_list_passwd_remove(ws):
    done = user(ws, "user", "add", "张明", "--role", "editor", "--role", "reviewer", "--password-stdin",
                stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "张明" in done.stdout and PASSWORD not in done.stdout + done.stderr
    listed = user(ws, "user", "list", lang="zh")
    assert listed.returncode == 0 and "张明\t编辑、审核" in listed.stdout, listed.stdout
    with sqlite3.connect(ws / ".bulletin" / "accounts.sqlite3") as conn:
        (stored,), = conn.execute("SELECT hash FROM accounts").fetchall()
    assert stored.startswith("$argon2id$")
    done = user(ws, "user", "passwd", "张明", "--password-stdin", stdin="another long one\n", lang="zh")
    assert done.returncode == 0 and "张明" in done.stdout
    done = user(ws, "user", "remove", "张明", lang="zh")
    assert done.returncode == 0 and "张明" in done.stdout
    assert "张明" not in user(ws, "user", "list").stdout


@pytest.mark.parametrize("args, stdin, words", [
    (["user", "add", "张明", "--role", "boss", "--password-stdin"], PASSWORD + "\n", "未知的角色“boss”"),
    (["user", "add", "张明", "--role", "editor", "--password-stdin"], "short\n", "密码少于 8 个字符"),
    (["user", "add", "张明", "--role", "editor", "--password-stdin"], "", "密码少于 8 个字符"),
    (["user", "add", "张 明", "--role", "editor", "--password-stdin"], PASSWORD + "\n", "空格"),
    (["user", "passwd", "王五", "--password-stdin"], PASSWORD + "\n", "没有名为“王五”的账户"),
    (["user", "remove", "王五"], None, "没有名为“王五”的账户"),
])
def test_bad_input_is_one_chinese_line_and_exit_1(ws, args, stdin, words):
    done = user(ws, *args, stdin=stdin, lang="zh")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert words in done.stderr and "Traceback" not in done.stderr
    assert not (ws / ".bulletin" / "accounts.sqlite3").exists() or "张明" not in user(ws, "user", "list").stdout


def test_a_name_is_added_once(ws):
    assert user(ws, "user", "add", "张明", "--role", "editor", "--password-stdin", stdin=PASSWORD).returncode == 0
    done = user(ws, "user", "add", "张明", "--role", "admin", "--password-stdin", stdin=PASSWORD, lang="zh")
    assert done.returncode == 1 and "已有名为“张明”的账户" in done.stderr


def test_the_two_passwords_must_match(ws):
    """Without --password-stdin and without a terminal, getpass reads the lines of stdin."""
    done = user(ws, "user", "add", "张明", "--role", "editor", stdin=PASSWORD + "\nsomething else\n", lang="zh")
    assert done.returncode == 1 and "两次输入的密码不一致" in done.stderr and "Traceback" not in done.stderr
    assert PASSWORD not in done.stdout + done.stderr


def test_add_needs_a_role(ws):
    done = user(ws, "user", "add", "张明", "--password-stdin", stdin=PASSWORD)
    assert done.returncode == 2 and "--role" in done.stderr


def test_serve_beyond_this_computer_needs_an_account_then_a_name(ws):
    done = user(ws, "serve", "--host", "0.0.0.0", lang="zh")
    assert done.returncode == 1 and "只在本机监听" in done.stderr and "bulletin user add" in done.stderr
    assert user(ws, "user", "add", "王管", "--role", "admin", "--password-stdin", stdin=PASSWORD).returncode == 0
    done = user(ws, "serve", "--host", "0.0.0.0", lang="zh")
    assert done.returncode == 1 and "--allowed-host" in done.stderr and "Traceback" not in done.stderr


def test_serve_on_every_address_answers_only_to_the_names_given(ws, tmp_path):
    import socket
    import time
    import urllib.error
    import urllib.request

    assert user(ws, "user", "add", "王管", "--role", "admin", "--password-stdin", stdin=PASSWORD).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "serve", "--host",
                               "0.0.0.0", "--port", str(port), "--allowed-host", "bulletin.example", "--no-history"],
                              stdout=log, stderr=subprocess.STDOUT, env=clean_env())

    def status(host: str) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:   # noqa: S310 (our own server)
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    urllib.request.install_opener(urllib.request.build_opener(NoRedirect))
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            try:
                answer = status("bulletin.example")
                break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert answer == 303                                  # to /login: the name is allowed, a sign-in needed
        assert status(f"bulletin.example:{port}") == 303
        assert status("evil.example") == 400                  # a foreign Host
    finally:
        urllib.request.install_opener(urllib.request.build_opener())
        server.terminate()
        server.wait(timeout=60)
        log.close()


def test_a_submitter_belongs_to_one_known_unit(ws):
    (ws / "bulletin.toml").write_text((ws / "bulletin.toml").read_text(encoding="utf-8")
                                      + '\n[submissions]\nunits = ["市税务局", "市民政局"]\n', encoding="utf-8")
    done = user(ws, "user", "add", "李华", "--role", "submitter", "--unit", "市税务局", "--password-stdin",
                stdin=PASSWORD + "\n", lang="zh")
    assert done.returncode == 0 and "李华" in done.stdout and "市税务局" in done.stdout, done.stderr
    listed = user(ws, "user", "list")
    assert "李华\tsubmitter\t0\t市税务局" in listed.stdout, listed.stdout
    for args, words in ((["--role", "submitter"], "--unit"), (["--role", "submitter", "--unit", "市公安局"], "市公安局"),
                        (["--role", "editor", "--unit", "市税务局"], "only a submitter")):
        refused = user(ws, "user", "add", "赵六", *args, "--password-stdin", stdin=PASSWORD + "\n")
        assert refused.returncode == 1 and words in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
    assert "赵六" not in user(ws, "user", "list").stdout
