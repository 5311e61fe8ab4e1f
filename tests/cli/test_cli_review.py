"""`bulletin submit|approve|return|sign ISSUE [--comment …] --as NAME` and `publish --as`: the review
steps from the command line, checked by the same permission check as the workbench."""
from __future__ import annotations

import sys
import types

import pytest
from cli_support import ok, run, snapshot, write_workspace

ISSUE = "issues/2026/10/issue.yaml"


@pytest.fixture
def ws(tmp_path):
    return write_workspace(tmp_path / "ws")


def meta(ws):
    from bulletin.store.workspace import Workspace

    w = Workspace(ws)
    return w.load_issue(w.resolve("2026-10"))[0]


def test_the_steps_without_accounts_record_the_names_given(ws):
    assert ok(run("submit", "10", "--as", "王五", "--comment", "请审", workspace=ws)).stdout == "2026-10: waiting for review\n"
    assert ok(run("return", "10", "--as", "李四", "--comment", "第二篇数字需核实", workspace=ws)).stdout.endswith("draft\n")
    ok(run("submit", "10", "--as", "王五", workspace=ws))
    ok(run("approve", "10", "--as", "李四", workspace=ws))
    ok(run("sign", "10", "--as", "张三", workspace=ws))
    m = meta(ws)
    assert m.status == "signed"
    assert [(s.step, s.by, s.comment) for s in m.review] == [
        ("submit", "王五", "请审"), ("return", "李四", "第二篇数字需核实"), ("submit", "王五", ""),
        ("approve", "李四", ""), ("sign", "张三", "")]
    assert m.printed_people().model_dump() == {"editor": "王五", "reviewer": "李四", "signer": "张三"}
    ok(run("publish", "10", workspace=ws))
    assert meta(ws).status == "published"


@pytest.mark.parametrize("args, words", [
    (("return", "10", "--as", "李四"), "退回须填写意见"),
    (("return", "10", "--comment", " ", "--as", "李四"), "退回须填写意见"),
    (("approve", "10"), "本期草稿，不能进行此操作"),
    (("sign", "10", "--as", "张三"), "不能进行此操作"),
    (("submit", "99"), "99"),
])
def test_bad_steps_exit_1_in_chinese_and_change_nothing(ws, args, words):
    if args[0] == "return":
        ok(run("submit", "10", workspace=ws))
    before = snapshot(ws)
    done = run("--lang", "zh", *args, workspace=ws)
    assert done.returncode == 1 and words in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert snapshot(ws) == before


def test_a_signed_issue_refuses_an_edit_from_the_cli(ws, tmp_path):
    for step in ("submit", "approve", "sign"):
        ok(run(step, "10", workspace=ws))
    article = tmp_path / "03.md"
    article.write_text("---\ntitle: 第三篇\n---\n\n正文。\n", encoding="utf-8")
    before = snapshot(ws)
    done = run("--lang", "zh", "add", "10", str(article), workspace=ws)
    assert done.returncode == 1 and "已签发，不能修改" in done.stderr and "退回" in done.stderr
    assert snapshot(ws) == before


def test_a_missing_issue_is_a_usage_error(ws):
    done = run("submit", workspace=ws)
    assert done.returncode == 2 and "Missing argument 'ISSUE'" in done.stderr


# --- with accounts (a stand-in for bulletin.accounts.store, the accounts part's interface) ------------

@pytest.fixture
def accounts(monkeypatch):
    """`AccountStore(ws).any()` True and `.actor(name)` these accounts (the interface of the accounts part)."""
    from bulletin.rules.permissions import Actor

    people = {"王编辑": Actor("王编辑", frozenset({"editor"})), "李审核": Actor("李审核", frozenset({"reviewer"})),
              "张签发": Actor("张签发", frozenset({"signer"}))}

    class AccountStore:
        def __init__(self, ws):
            pass

        def any(self) -> bool:
            return True

        def actor(self, name):
            return people.get(name)

    package = types.ModuleType("bulletin.accounts")
    store = types.ModuleType("bulletin.accounts.store")
    store.AccountStore = AccountStore
    package.store = store
    monkeypatch.setitem(sys.modules, "bulletin.accounts", package)
    monkeypatch.setitem(sys.modules, "bulletin.accounts.store", store)


def cli(ws, *args, monkeypatch, capsys) -> tuple[int, str, str]:
    from bulletin import cli as cli_module

    monkeypatch.setattr(sys, "argv", ["bulletin", "--workspace", str(ws), *args])
    with pytest.raises(SystemExit) as exited:
        cli_module.main()
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_with_accounts_each_step_is_asked_of_the_accounts_roles(ws, accounts, monkeypatch, capsys):
    def step(*args):
        return cli(ws, *args, monkeypatch=monkeypatch, capsys=capsys)

    code, _out, err = step("submit", "10")
    assert code == 1 and "--as" in err
    code, _out, err = step("submit", "10", "--as", "无名氏")
    assert code == 1 and "无名氏" in err
    code, _out, err = step("submit", "10", "--as", "李审核")
    assert code == 1 and "editor" in err
    assert step("submit", "10", "--as", "王编辑")[0] == 0
    assert step("approve", "10", "--as", "王编辑")[0] == 1
    assert step("approve", "10", "--as", "李审核")[0] == 0
    code, _out, err = step("publish", "10", "--as", "张签发")
    assert code == 1 and "not possible while the issue is reviewed" in err
    code, _out, err = step("publish", "10")
    assert code == 1 and "--as" in err        # with accounts, publish says who publishes too
    assert step("sign", "10", "--as", "张签发")[0] == 0
    assert step("publish", "10", "--as", "王编辑")[0] == 1
    assert step("publish", "10", "--as", "张签发")[0] == 0
    m = meta(ws)
    assert m.status == "published" and [s.by for s in m.review] == ["王编辑", "李审核", "张签发"]
