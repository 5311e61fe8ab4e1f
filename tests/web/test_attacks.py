"""The table of attacks against a live `bulletin serve` (a subprocess over a git repository with three
accounts): each is refused with its status and its words, nothing in the workspace changes (every file
but .bulletin/ and .git/) and git has no new commit. Then the two writes that must succeed and show the
`<script>` typed as text: an article title and a recipient's name.

Requests go through http.client, which sends the path, the Host header and the body exactly as written
(no client tidies `../` or a broken multipart body away)."""
from __future__ import annotations

import http.client
import io
import os
import re
import subprocess
import sys
import zipfile
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import clean_env, git_env, serving, write_workspace  # noqa: E402

PASSWORD = "correct horse battery"
EDITOR, OWN_REVIEWER, SIGNER, GUESSED, LEAVER = "张明", "李华", "王刚", "赵六", "孙七"
SETTINGS = "\n[review]\nreviewer_not_editor = true\n\n[workbench]\nmax_file_mb = 1\nmax_request_mb = 2\n"



class Live:
    """The server's address, the workspace, and the sessions (cookie, form token) of the people."""

    def __init__(self, port: int, ws: Path, git_env: dict):
        self.port, self.ws, self.git_env = port, ws, git_env
        self.sessions: dict[str, tuple[str, str]] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None,
                who: str | None = None, token: bool = True) -> tuple[int, dict, str]:
        sent = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-CN"}
        if who:
            cookie, form_token = self.sessions[who]
            sent["Cookie"] = f"bulletin_session={cookie}"
            if token:
                sent["X-CSRF-Token"] = form_token
        sent.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                conn.putheader(name, value.encode("utf-8") if isinstance(value, str) else value)
            if method == "POST":
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body or None)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def form(self, path: str, fields: dict, who: str | None, headers: dict | None = None, **kw):
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}, who=who, **kw)

    def sign_in(self, name: str, password: str = PASSWORD) -> tuple[int, dict, str]:
        status, _h, page = self.request("GET", "/login")
        assert status == 200, page
        token = re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)
        status, headers, page = self.form("/login", {"name": name, "password": password},
                                          None, headers={"X-CSRF-Token": token})
        if status == 303:
            cookie = re.search(r"bulletin_session=([^;]+)", headers["set-cookie"]).group(1)
            self.sessions[name] = (cookie, "")
            _s, _h, home = self.request("GET", "/", who=name, token=False)
            self.sessions[name] = (cookie, re.search(r'"X-CSRF-Token": "([^"]+)"', home).group(1))
        return status, headers, page

    def files(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.ws)): p.read_bytes() for p in sorted(self.ws.rglob("*"))
                if p.is_file() and p.relative_to(self.ws).parts[0] not in (".bulletin", ".git")}

    def commits(self) -> int:
        return int(subprocess.run(["git", "-C", str(self.ws), "rev-list", "--count", "HEAD"], capture_output=True,
                                  text=True, check=True, env={**clean_env(), **self.git_env}).stdout)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    from bulletin.accounts.store import AccountStore
    from bulletin.commands.history import start
    from bulletin.store.workspace import Workspace

    tmp = tmp_path_factory.mktemp("attacks")
    gits = git_env(tmp)
    ws = write_workspace(tmp / "ws")
    (ws / "bulletin.toml").write_text((ws / "bulletin.toml").read_text(encoding="utf-8") + SETTINGS, encoding="utf-8")
    store = AccountStore(Workspace(ws))
    for name, roles in [(EDITOR, ("editor",)), (OWN_REVIEWER, ("editor", "reviewer")), (SIGNER, ("signer",)),
                        (GUESSED, ("editor",)), (LEAVER, ("editor",))]:
        store.add(name, roles, PASSWORD)
    env = clean_env(BULLETIN_LANG="zh", **gits)
    saved = {}   # git's settings for start() only: the tests' own process keeps its environment
    for name, value in gits.items():
        saved[name] = os.environ.get(name)
        os.environ[name] = value
    try:
        start(Workspace(ws), "管理员")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    with serving(ws, env=env, cwd=tmp) as url:
        site = Live(int(url.rsplit(":", 1)[1]), ws, gits)
        for name in (EDITOR, OWN_REVIEWER, SIGNER, LEAVER):
            assert site.sign_in(name)[0] == 303, name
        # 李华 sends the issue for review: under the office's rule, 李华 may not also approve it
        status, _h, page = site.form("/issues/2026-10/review/submit", {"comment": ""}, OWN_REVIEWER)
        assert status == 303, page
        # 孙七 signs out; the cookie kept from before is the attacker's
        status, _h, _p = site.form("/logout", {}, LEAVER)
        assert status == 303
        yield site


# --- the attacks: each a function of the live site, returning the (last) response
def forged_post(site):
    return site.form("/issues/2026-10/note", {"editor_note": "伪造"}, EDITOR, token=False)


def forged_post_wrong_token(site):
    return site.form("/issues/2026-10/note", {"editor_note": "伪造", "csrf_token": "0" * 40}, EDITOR, token=False)


def cross_site_origin(site):
    return site.form("/issues/2026-10/note", {"editor_note": "伪造"}, EDITOR,
                     headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})


def editor_publishes(site):
    return site.form("/issues/2026-10/review/publish", {}, EDITOR)


def editor_signs(site):
    return site.form("/issues/2026-10/review/sign", {}, EDITOR)


def reviewer_approves_own_issue(site):
    return site.form("/issues/2026-10/review/approve", {"comment": "自己审核"}, OWN_REVIEWER)


def session_after_logout_get(site):
    return site.request("GET", "/issues/2026-10", who=LEAVER)


def session_after_logout_post(site):
    return site.form("/issues/2026-10/note", {"editor_note": "退出后"}, LEAVER)


def guessed_password_six_times(site):
    for _n in range(5):
        status, _h, page = site.sign_in(GUESSED, "guess")
        assert status == 401 and "用户名或密码不正确" in page
    return site.sign_in(GUESSED)          # the sixth try, with the right password: wait


def dotdot_in_issue_url(site):
    return site.form("/issues/..%2F..%2F2026-10/note", {"editor_note": "x"}, EDITOR)


def dotdot_in_article_url(site):
    return site.form("/issues/2026-10/articles/..%2F..%2F..%2Fbulletin.toml", {"title": "x", "body": "x"}, EDITOR)


def encoded_dotdot_in_article_url(site):
    return site.form("/issues/2026-10/articles/%2e%2e%2f%2e%2e%2f%2e%2e%2fbulletin.toml", {"title": "x", "body": "x"},
                     EDITOR)


def raw_dotdot_in_article_url(site):
    return site.request("GET", "/issues/2026-10/articles/../../../bulletin.toml", who=EDITOR)


def encoded_dotdot_in_history_url(site):
    return site.request("GET", "/issues/2026-10/articles/%2e%2e%2f%2e%2e%2f%2e%2e%2fbulletin.toml/history",
                        who=EDITOR)


def dotdot_in_static_url(site):
    return site.request("GET", "/static/%2e%2e/%2e%2e/%2e%2e/bulletin.toml", who=EDITOR)


def _multipart(files: list[tuple[str, bytes]], boundary: str = "attackboundary") -> tuple[bytes, dict]:
    parts = []
    for name, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), {
        "Content-Type": f"multipart/form-data; boundary={boundary}"}


def _upload(site, files):
    body, headers = _multipart(files)
    return site.request("POST", "/issues/2026-10/upload", body, headers, who=EDITOR)


TEXT = "关于某项工作的报告\n\n今年以来，某项工作取得新进展。\n".encode()  # a good article: only the name is wrong


def dotdot_upload_name(site):
    return _upload(site, [("../../evil.txt", TEXT)])


def backslash_dotdot_upload_name(site):
    return _upload(site, [("..\\..\\evil.txt", TEXT)])


def encoded_dotdot_upload_name(site):
    return _upload(site, [("%2e%2e%2f%2e%2e%2fevil.txt", TEXT)])


def oversized_upload(site):
    return _upload(site, [("big.txt", b"x" * (1024 * 1024 + 1))])


def oversized_request(site):
    return _upload(site, [(f"part{n}.txt", b"x" * (900 * 1024)) for n in range(3)])


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("word/document.xml", b"<w:document>" + b" " * (60 * 1024 * 1024) + b"</w:document>")
    return out.getvalue()


def zip_bomb_docx(site):
    return _upload(site, [("炸弹.docx", _zip_bomb())])


def malformed_multipart(site):
    body = b"--attackboundary\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nno end"
    return site.request("POST", "/issues/2026-10/upload", body,
                        {"Content-Type": "multipart/form-data; boundary=attackboundary"}, who=EDITOR)


def multipart_without_boundary(site):
    return site.request("POST", "/issues/2026-10/upload", b"garbage",
                        {"Content-Type": "multipart/form-data"}, who=EDITOR)


def foreign_host(site):
    return site.form("/issues/2026-10/note", {"editor_note": "x"}, EDITOR, headers={"Host": "evil.example"})


def foreign_host_get(site):
    return site.request("GET", "/", who=EDITOR, headers={"Host": "evil.example:80"})


WRONG_FORM = "表单已过期，或不是从工作台页面提交的"
ATTACKS = [  # (the attack, the status expected, words the page must say)
    (forged_post, 403, WRONG_FORM),
    (forged_post_wrong_token, 403, WRONG_FORM),
    (cross_site_origin, 403, "只能在工作台自己的页面"),
    (editor_publishes, 403, "此操作需要签发"),
    (editor_signs, 403, "此操作需要签发"),
    (reviewer_approves_own_issue, 403, "李华"),
    (session_after_logout_get, 303, ""),
    (session_after_logout_post, 303, ""),
    (guessed_password_six_times, 429, "登录失败次数过多，请在 15 分钟后再试"),
    (dotdot_in_issue_url, 404, ""),
    (dotdot_in_article_url, 404, ""),
    (encoded_dotdot_in_article_url, 404, ""),
    (raw_dotdot_in_article_url, 404, ""),
    (encoded_dotdot_in_history_url, 404, ""),
    (dotdot_in_static_url, 404, ""),
    (dotdot_upload_name, 422, "文件没有可用的名称"),
    (backslash_dotdot_upload_name, 422, "文件没有可用的名称"),
    (encoded_dotdot_upload_name, 422, "文件没有可用的名称"),
    (oversized_upload, 413, "big.txt 超过 1 MB，未添加任何文件"),
    (oversized_request, 413, "上传内容超过 2 MB"),
    (zip_bomb_docx, 422, "压缩比"),
    (malformed_multipart, 422, "请选择一个或多个要上传的文件"),   # cut short: no file in it
    (multipart_without_boundary, 400, ""),
    (foreign_host, 400, "本服务器只响应其自身的地址"),
    (foreign_host_get, 400, "本服务器只响应其自身的地址"),
]


@pytest.mark.parametrize("attack, status, words", ATTACKS, ids=[a.__name__ for a, _s, _w in ATTACKS])
def test_the_attack_is_refused_and_nothing_is_written(live, attack, status, words):
    files, commits = live.files(), live.commits()
    got, headers, page = attack(live)
    assert got == status, f"{attack.__name__}: {got} {page[:2000]}"
    assert words in page, page
    if status == 303:
        assert headers["location"].startswith("/login")
    assert "Traceback" not in page
    assert live.files() == files, "the workspace changed"
    assert live.commits() == commits, "a commit was made"


SCRIPT = "<script>alert(1)</script>"


def test_a_script_in_an_article_title_is_saved_and_shown_as_text(live):
    commits = live.commits()
    status, _h, page = live.request("GET", "/issues/2026-10/articles/02-second.md", who=EDITOR)
    assert status == 200
    version = re.search(r'name="version" value="([^"]*)"', page)
    fields = {"title": SCRIPT + "标题", "body": "正文。\n"}
    if version:
        fields["version"] = version.group(1)
    status, _h, page = live.form("/issues/2026-10/articles/02-second.md", fields, EDITOR)
    assert status in (200, 303), page[:3000]
    assert live.commits() == commits + 1
    for url in ("/issues/2026-10", "/issues/2026-10/articles/02-second.md", "/issues/2026-10/history"):
        _s, _h, page = live.request("GET", url, who=EDITOR)
        assert SCRIPT not in page and escape(SCRIPT, quote=False) in page, (url, page)


def test_a_script_in_a_recipient_name_is_saved_and_shown_as_text(live):
    commits = live.commits()
    status, _h, page = live.form("/recipients/add", {"id": "evil", "name": SCRIPT + "某局", "role": "发",
                                                     "copies": "1", "email": "",
                                                     "lists": "default"}, EDITOR)
    assert status in (200, 303), page[:3000]
    assert live.commits() == commits + 1
    assert SCRIPT in (live.ws / "recipients.yaml").read_text(encoding="utf-8")
    for url in ("/recipients", "/issues/2026-10"):
        _s, _h, page = live.request("GET", url, who=EDITOR)
        assert SCRIPT not in page and escape(SCRIPT, quote=False) in page, (url, page)
