"""Templates: the workspace's own override the built-in ones, run sandboxed, and report file and line."""
from __future__ import annotations

import pytest

from bulletin.errors import BulletinError
from bulletin.store.loaders import parse_yaml
from bulletin.store.templates import render_template

VALUES = {"number": 3, "total": 23, "kind": "regular", "date": "2026-05-01", "theme": ""}


def test_builtin_issue_template_gives_valid_yaml():
    text = render_template("issue.yaml.j2", VALUES)
    data = parse_yaml(text, None).data
    assert data["number"] == 3 and data["total"] == 23 and data["articles"] == []


def test_special_theme_with_quotes_and_colons_stays_valid_yaml():
    text = render_template("issue.yaml.j2", {**VALUES, "kind": "special", "total": None,
                                             "theme": '营商环境"优化": #1'})
    data = parse_yaml(text, None).data
    assert data["theme"] == '营商环境"优化": #1' and "total" not in data


def test_workspace_template_overrides_the_builtin(tmp_path):
    (tmp_path / "issue.yaml.j2").write_text("number: {{ number }}\nkind: {{ kind }}\ndate: {{ date }}\n"
                                            "people: { editor: 王×× }\n", encoding="utf-8")
    assert "王××" in render_template("issue.yaml.j2", VALUES, tmp_path)


@pytest.mark.parametrize("source, line, words", [
    ("number: {{ number }}\n{% if x %}\n", 2, "template error"),
    ("a\nb\n{{ ''.__class__.__mro__ }}\n", 3, "unsafe"),
    ("number: {{ numbr }}\n", 1, "'numbr' is undefined"),
])
def test_template_errors_name_the_file_and_line(tmp_path, source, line, words):
    (tmp_path / "issue.yaml.j2").write_text(source, encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        render_template("issue.yaml.j2", VALUES, tmp_path)
    d = caught.value.diagnostics[0]
    assert d.path.endswith("issue.yaml.j2") and d.line == line and words in d.message


def test_xml_templates_are_autoescaped(tmp_path):
    (tmp_path / "x.xml.j2").write_text("<t>{{ v }}</t>", encoding="utf-8")
    (tmp_path / "x.txt.j2").write_text("{{ v }}", encoding="utf-8")
    assert render_template("x.xml.j2", {"v": "a<b&c"}, tmp_path) == "<t>a&lt;b&amp;c</t>"
    assert render_template("x.txt.j2", {"v": "a<b"}, tmp_path) == "a<b"
