"""bulletin.toml and the presets in their usual forms are read without tomllib: into what tomllib
reads, or not at all (None), so that tomllib reads, and words the mistakes of, everything else."""
from __future__ import annotations

import random
import sys
import tomllib
from pathlib import Path

import pytest

from bulletin.store.loaders import _plain_toml, parse_toml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from examples.generate import CONFIG_TOML  # noqa: E402


def read_alike(text: str) -> bool:
    """True when the plain reader read `text`; fails when it read it otherwise than tomllib."""
    plain = _plain_toml(text)
    if plain is None:
        return False
    assert plain == tomllib.loads(text), text  # tomllib raising here is a failure too
    assert [type(v) for v in _leaves(plain)] == [type(v) for v in _leaves(tomllib.loads(text))], text
    return True


def _leaves(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _leaves(value)
    elif isinstance(data, list):
        for value in data:
            yield from _leaves(value)
    else:
        yield data


def test_the_repository_s_toml_is_plain_and_read_alike():
    files = [REPO / "bulletin.toml", *sorted(REPO.glob("templates/presets/*.toml"))]
    assert all(read_alike(f.read_text(encoding="utf-8")) for f in files)
    assert read_alike(CONFIG_TOML.format(year=2026, total=21))


# Lines that are plain, that look plain but are not, and that are TOML's alone or no TOML at all.
LINES = ['name = "政务公开工作简报"', 'name="紧凑"', 'n = 5', 'n = -5', 'n = +5', 'n = 0', 'n = -0', 'n = 007',
         'n = 1_000', 'x = 28.95', 'x = -0.25', 'x = 1.', 'x = .5', 'x = 1e3', 'x = inf', 'b = true', 'b = false',
         'b = True', 'a = ["一", "二"]', 'a = [1, 2, ]', 'a = [1,,]', 'a = [,]', 'a = []', 'a = [ ]', 'a = [1 2]',
         'a = ["x,y", "z"]', 'a = [[1], [2]]', 'a = [1, "混合"]', 't = { year = 2026, number = 10 }', 't = {}',
         't = { a = 1, }', 't = { a = 1, a = 2 }', 't = { a = { b = 1 } }', 't = { "引号" = 1 }', '"仿宋_GB2312" = "仿宋"',
         '"" = 1', "lit = 'literal'", 's = "转义\\n"', 's = "tab\there"', 's = """multi"""', 'a.b = 1',
         'n = 5  # a comment', '# a comment', '', '   ', '\t', 'n\t= 1', '[series]', '[print]', '[fonts.fallback]',
         '[ fonts ]', '[fonts . fallback]', '["引号"]', '[[array]]', '[t]', '[t.x]', '[a]', '[a.b]', 'n = 5 extra',
         'n = "未闭合', 'n =', '= 1', 'n = 1 # ok', 'n = "a#b"', 'name ＝ "全角"', 'x = 2026-12-01', '\ufeffn = 1',
         'n = 1\r', 'b = 1', 'c = "c"']


def test_mixtures_of_lines_read_alike_or_go_to_tomllib():
    rng = random.Random(1415)
    plain = 0
    for _ in range(4000):
        text = "\n".join(rng.choice(LINES) for _ in range(rng.randint(1, 8))) + rng.choice(["", "\n"])
        plain += read_alike(text)
    assert plain > 200  # the mixtures do reach the plain reader


@pytest.mark.parametrize("text", ["[a]\nb = 1\n[a]\nc = 2", "[a]\nb = 1\n[a.b]\nc = 2", "t = { a = 1 }\n[t]\nb = 2",
                                  "t = { a = 1 }\n[t.x]\nb = 2", "a = 1\na = 2", 'a = 1\n"a" = 2', "[a.b]\nx = 1\n[a]\ny = 2",
                                  "[a.b]\nx = 1\n[a]\nb = 2", "a = [1, 2]\n[a]"])
def test_tables_and_keys_given_twice(text):
    read_alike(text)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert _plain_toml(text) is None


def test_a_mistake_is_still_worded_by_tomllib(tmp_path):
    from bulletin.errors import BulletinError

    with pytest.raises(BulletinError) as caught:
        parse_toml('[series]\nname = "简报"\nname = "又一个"\n', tmp_path / "bulletin.toml")
    assert caught.value.diagnostics[0].line == 3
