"""The block YAML reader (store/loaders.py, _block_yaml) reads what ruamel reads: the same data, the
same lines, the same problems — for the workspace files of the demo, the tests and the benchmark,
the starter files of `init`, and thousands of variants of them with the values, keys, indents and
comments a clerk may write. Where it cannot say, it leaves the file to ruamel."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples import generate  # noqa: E402

from bulletin.errors import BulletinError  # noqa: E402
from bulletin.store import loaders  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _read(text: str, block: bool, first_line: int = 1):
    """What parse_yaml gives `text`, read by the block reader (when it can) or by ruamel alone."""
    original = loaders._block_yaml
    if not block:
        loaders._block_yaml = lambda text, first_line: None
    try:
        loaded = loaders.parse_yaml(text, Path("x.yaml"), first_line)
        return "ok", repr(loaded.data), sorted(loaded.lines.items(), key=repr)
    except BulletinError as exc:
        return "error", [(d.line, d.message, d.hint) for d in exc.diagnostics]
    finally:
        loaders._block_yaml = original


def _documents() -> list[str]:
    docs = [(REPO / "recipients.yaml").read_text(encoding="utf-8")]
    docs += [p.read_text(encoding="utf-8") for p in sorted((REPO / "issues").rglob("issue.yaml"))]
    docs += [generate.RECIPIENTS_YAML, generate.HUGE_RECIPIENTS_YAML]
    sys.path.insert(0, str(REPO / "tests" / "cli"))
    import cli_support

    docs += [cli_support.ISSUE_YAML, cli_support.RECIPIENTS_YAML]
    import tempfile

    from bulletin import i18n
    from bulletin.commands.init import init_workspace

    for language in ("en", "zh"):  # init's starter recipients.yaml, with its comments
        with tempfile.TemporaryDirectory() as tmp, i18n.speaking(language):
            init_workspace(Path(tmp) / "office", None, None, None)
            docs.append((Path(tmp) / "office" / "recipients.yaml").read_text(encoding="utf-8"))
    docs.append('number: 1\ntotal: 21\ndate: 2026-01-06\nkind: regular\nstatus: draft\neditor_note: 本期刊发。\n'
                'articles:\n  - 0001.md\n  - 0002.md\ndistribution:\n  lists: [default]\n'
                'people: { editor: "王××", reviewer: "李××", signer: "张××" }\n')
    return docs


VALUES = ["10", "0", "-3", "+4", "010", "0x1f", "0o7", "1_000", "1.5", "1e3", ".5", "3.", ".inf", ".nan", "12:30",
          "2026-11-20", "2026-1-6", "2026-13-01", "2026-02-30", "2026-11-20T10:00", "2026-11-20 10:00", "true",
          "True", "FALSE", "yes", "No", "on", "off", "y", "n", "null", "Null", "~", "", '""', "''", '"a, b"', "'it''s'",
          "'bad'quote'", '"unclosed', "'unclosed", '"esc\\"aped"', "a: b", "a #b", "a#b", "#c", "-", "- x", "-x", "?x",
          ":x", "x:", "&a x", "*a", "!tag x", "!!str 5", "|", "|-", ">", "[a, b]", "[a,b]", "[]", "[ ]", "[a, [b]]",
          "[a,]", "[,]", "['a, b', c]", "{}", "{a: 1}", "{ a: \"x, y\", b: 'z' }", "{a: 1, a: 2}", "{a:1}", "{a}",
          "[a]b", "{ a: [1] }", "市委办公室", "王××", "AT&T", "100%", "C#", "a_b1", "01-first.md", "@x", "`x`",
          "%x", "x  ", "  x", "x\t", "全角：冒号", "a\\b", "line\\n", "中 文", "default, short", "[default, short]"]


def _variants(doc: str, rng: random.Random, count: int) -> list[str]:
    lines = doc.split("\n")
    out = []
    for _ in range(count):
        changed = list(lines)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(changed))
            line = changed[i]
            kind = rng.random()
            if ": " in line and kind < 0.55:
                key, _sep, _value = line.partition(": ")
                changed[i] = f"{key}: {rng.choice(VALUES)}"
            elif kind < 0.65:
                changed[i] = " " * rng.randint(0, 6) + line.lstrip(" ")
            elif kind < 0.72:
                changed.insert(i, rng.choice(["", "# a comment", "  # indented comment", "   ", "\t", "---", "..."]))
            elif kind < 0.8:
                changed[i] = line.replace(": ", ":", 1)
            elif kind < 0.86:
                changed.insert(i, line)  # a duplicate key or item
            elif kind < 0.92:
                changed[i] = line + rng.choice(["  # note", " #", ":", " :", "：", ", x"])
            else:
                del changed[i]
        out.append("\n".join(changed))
    return out


@pytest.mark.parametrize("first_line", [1, 2])
def test_the_files_read_alike(first_line):
    for doc in _documents():
        assert _read(doc, True, first_line) == _read(doc, False, first_line), doc


def test_the_files_are_read_without_ruamel():
    for doc in _documents()[:6]:
        assert loaders._block_yaml(doc, 1) is not None, doc


def test_variants_read_alike():
    rng = random.Random(15)
    read_here = 0
    for doc in _documents():
        for variant in _variants(doc, rng, 250):
            fast = _read(variant, True)
            assert fast == _read(variant, False), variant
            read_here += loaders._block_yaml(variant, 1) is not None
    assert read_here > 300  # many variants are still simple enough to be read without ruamel


@pytest.mark.parametrize("value", VALUES)
def test_every_value_reads_alike(value):
    for doc in (f"number: {value}\n", f"a:\n  b: {value}\n", f"a:\n  - {value}\n  - x\n",
                f"a:\n  - k: {value}\n    j: 2\n", f"a: [{value}]\n", f"a: {{k: {value}}}\n",
                f"editor_note: |\n  {value}\n\n  two\nb: 1\n"):
        assert _read(doc, True) == _read(doc, False), doc


def test_a_number_longer_than_python_reads_is_named_with_its_line():
    """Found by the property test: 5,000 digits as a theme raised ValueError out of int()."""
    from bulletin.errors import BulletinError
    from bulletin.store.loaders import parse_yaml

    for text, line in [("number: 10\ntheme: " + "1" * 5000 + "\n", 2),
                       ("number: 10\nlists:\n  - " + "2" * 4500 + "\n", 3)]:
        with pytest.raises(BulletinError) as caught:
            parse_yaml(text, Path("issue.yaml"))
        (d,) = caught.value.diagnostics
        assert d.line == line and "number" in d.message and "quotes" in d.hint
    assert parse_yaml("theme: " + "1" * 4000 + "\n", Path("issue.yaml")).data["theme"] == int("1" * 4000)
