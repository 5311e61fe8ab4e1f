"""bulletin.errors: diagnostics and their `path:line: message — hint` form."""

from bulletin.errors import BulletinError, Diagnostic, fail


def test_format_with_line_and_hint():
    d = Diagnostic("issues/2009/10/issue.yaml", 4, "unknown key 'distrbution'", hint="did you mean 'distribution'?")
    assert d.format() == "issues/2009/10/issue.yaml:4: unknown key 'distrbution' — did you mean 'distribution'?"


def test_format_without_line():
    assert Diagnostic("bulletin.toml", None, "file not found").format() == "bulletin.toml: file not found"


def test_format_warning():
    d = Diagnostic("a.md", 3, "long title", severity="warning")
    assert d.format() == "a.md:3: warning: long title"


def test_bulletin_error_from_string_and_message():
    err = BulletinError("something wrong")
    assert len(err.diagnostics) == 1
    assert err.diagnostics[0].message == "something wrong"
    assert "something wrong" in str(err)


def test_fail_builds_one_diagnostic():
    err = fail("x.yaml", 7, "bad", "fix it")
    assert err.diagnostics == [Diagnostic("x.yaml", 7, "bad", "error", "fix it")]
    assert str(err) == "x.yaml:7: bad — fix it"


def test_as_dict():
    d = Diagnostic("a", 2, "m", "error", "h")
    assert d.as_dict() == {"path": "a", "line": 2, "severity": "error", "message": "m", "hint": "h"}
