"""What ruamel and tomllib read is kept by the text read (store.loaders): the workbench reads issue.yaml several
times a page. A file changed by anyone, another process too, is read anew; a caller that changes the
data it got changes nobody else's."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bulletin.store import loaders
from bulletin.store.loaders import load_yaml, parse_yaml

# `|-` (as ruamel writes back a note without a last line break): not the plain forms the fast reader
# takes, so ruamel reads it, and what it read is kept
TEXT = ("number: 10\neditor_note: |-\n  本期编者按。\narticles:\n  - 01-first.md\n  - 02-second.md\n"
        "people: { editor: 王××, reviewer: 李×× }\n")


def test_a_file_changed_by_another_process_is_read_anew(tmp_path):
    path = tmp_path / "issue.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert load_yaml(path).data["articles"] == ["01-first.md", "02-second.md"]
    assert ("yaml", TEXT, 1) in loaders._PARSED                    # kept: the next read of the same text is cheap
    changed = TEXT.replace("02-second.md", "02-third.md")
    subprocess.run([sys.executable, "-c", f"import pathlib; pathlib.Path({str(path)!r}).write_text({changed!r}, "
                    "encoding='utf-8')"], check=True)
    again = load_yaml(path)
    assert again.data["articles"] == ["01-first.md", "02-third.md"]
    assert again.data["people"] == {"editor": "王××", "reviewer": "李××"}


def test_changing_the_data_read_changes_nothing_kept():
    first = parse_yaml(TEXT, Path("issue.yaml"))
    first.data["articles"].append("99-added.md")
    first.data["people"]["signer"] = "张××"
    first.lines[("articles", 2)] = 5
    second = parse_yaml(TEXT, Path("other/issue.yaml"))
    assert second.data == {"number": 10, "editor_note": "本期编者按。", "articles": ["01-first.md", "02-second.md"],
                           "people": {"editor": "王××", "reviewer": "李××"}}
    assert ("articles", 2) not in second.lines and second.lines[("articles", 1)] == 6
    assert second.path == Path("other/issue.yaml")       # the asker's path, not the first reader's


def test_the_same_text_as_front_matter_keeps_its_own_lines():
    as_file = parse_yaml(TEXT, Path("a.yaml"))
    as_front_matter = parse_yaml(TEXT, Path("a.md"), first_line=2)
    assert as_front_matter.lines[("people",)] == as_file.lines[("people",)] + 1


def test_a_text_with_a_mistake_is_refused_every_time():
    broken = TEXT + "number: 11\n"   # a key twice
    for _ in range(2):
        try:
            parse_yaml(broken, Path("issue.yaml"))
        except loaders.BulletinError as exc:
            assert "number" in exc.diagnostics[0].message
        else:
            raise AssertionError("read a key twice without a word")
    assert ("yaml", broken, 1) not in loaders._PARSED


def test_a_toml_file_changed_by_another_process_is_read_anew_and_its_data_is_the_callers(tmp_path):
    from bulletin.store.loaders import load_toml

    path = tmp_path / "bulletin.toml"
    path.write_text('name = "政务公开工作简报"\n[print]\ncopies = 3\n', encoding="utf-8")
    first = load_toml(path)
    first.data["print"]["copies"] = 99
    assert load_toml(path).data == {"name": "政务公开工作简报", "print": {"copies": 3}}
    subprocess.run([sys.executable, "-c", f"import pathlib; pathlib.Path({str(path)!r}).write_text("
                    "'name = \"政务公开工作简报\"\\n[print]\\ncopies = 4\\n', encoding='utf-8')"], check=True)
    assert load_toml(path).data["print"]["copies"] == 4


ARTICLE = "---\ntitle: 我市深化改革\nsection: 工作动态\n---\n\n第一段。\n\n第二段\n接着写。\n"


def test_an_article_changed_by_another_process_is_read_anew_and_its_parts_are_the_callers(tmp_path):
    from bulletin.store.loaders import load_front_matter

    path = tmp_path / "01-first.md"
    path.write_text(ARTICLE, encoding="utf-8")
    first = load_front_matter(path)
    assert ("article", ARTICLE, 1) in loaders._PARSED
    first.meta.data["title"] = "改过"
    first.body_lines.append(99)
    first.meta.path = Path("elsewhere.md")
    again = load_front_matter(path)
    assert again.meta.data == {"title": "我市深化改革", "section": "工作动态"} and again.meta.path == path
    assert (again.body, again.body_first_line, again.body_lines) == (
        "\n第一段。\n\n第二段\n接着写。\n", 5, [5, 6, 7, 8, 9, 10])
    subprocess.run([sys.executable, "-c", f"import pathlib; pathlib.Path({str(path)!r}).write_text("
                    f"{ARTICLE.replace('第二段', '第三段')!r}, encoding='utf-8')"], check=True)
    assert "第三段" in load_front_matter(path).body


def test_what_is_kept_is_bounded_and_the_least_recently_used_goes_first(monkeypatch):
    monkeypatch.setattr(loaders, "_PARSED", {})
    monkeypatch.setattr(loaders, "_parsed_total", [0])
    texts = [TEXT + f"extra: {n}\n" for n in range(4)]
    monkeypatch.setattr(loaders, "_PARSED_MAX_TOTAL", 3 * len(texts[0]) + 5)   # room for three
    for text in texts[:3]:
        parse_yaml(text, Path("issue.yaml"))
    parse_yaml(texts[0], Path("issue.yaml"))          # used again: now the most recent
    parse_yaml(texts[3], Path("issue.yaml"))
    kept = [k[1] for k in loaders._PARSED]
    assert kept == [texts[2], texts[0], texts[3]]
    assert loaders._parsed_total[0] == sum(len(t) for t in kept) <= loaders._PARSED_MAX_TOTAL
