"""bulletin's word breaks are jieba's: the same words as `jieba.Tokenizer().cut(text, HMM=True)` for
titles, generated text and random mixtures of Han, Latin, digits, punctuation and spaces, read from
the index and from the dictionary in memory alike."""
from __future__ import annotations

import logging
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import PHRASES, sentence  # noqa: E402

from bulletin.render.docx import wordbreaks  # noqa: E402
from test_fit import REAL_TITLES  # noqa: E402


@pytest.fixture(scope="module")
def jieba_cut():
    import jieba

    jieba.setLogLevel(logging.ERROR)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return lambda text: list(tokenizer.cut(text, HMM=True))


def _texts() -> list[str]:
    rng = random.Random(15)
    alphabet = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
                "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
                "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又"
                "么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入"
                "常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西"
                "被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认"
                "六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才"
                "科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商"
                "非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选"
                "标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价"
                "严龘靐齉麤爩鱻犇骉羴猋淼焱垚赑")
    latin = ["AT&T", "5G", "2026", "3.5%", "APP", "12345", "e-mail", "GB/T", "C#", "x86_64", "ISO9001"]
    marks = "，。、；：？！“”《》（）—…·　 \t-_/.%+#&"
    out = [title for title, _lines in REAL_TITLES]
    out += [f"关于{phrase}的情况" for phrase in PHRASES]
    out += [sentence(rng, rng.randint(20, 120)) for _ in range(60)]
    for _ in range(300):
        pieces = []
        for _ in range(rng.randint(1, 12)):
            kind = rng.random()
            if kind < 0.6:
                pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))))
            elif kind < 0.8:
                pieces.append(rng.choice(latin))
            else:
                pieces.append(rng.choice(marks))
        out.append("".join(pieces))
    out += ["", " ", "\r\n", "龘靐齉麤爩鱻犇骉", "二〇二四年度", "我市深化“一网通办”改革推动政务公开提质增效"]
    return out


def test_the_words_are_jiebas(jieba_cut):
    differing = [(text, wordbreaks.words(text), jieba_cut(text)) for text in _texts()
                 if wordbreaks.words(text) != jieba_cut(text)]
    assert not differing, differing[:5]


def test_the_dictionary_in_memory_gives_the_same_words(jieba_cut, monkeypatch):
    def no_index(path):
        raise OSError("no temporary folder")

    monkeypatch.setattr(wordbreaks._Dictionary, "_open_index", staticmethod(no_index))
    monkeypatch.setattr(wordbreaks, "_DICTIONARY", None)
    in_memory = wordbreaks._dictionary()
    assert in_memory.words is not None
    texts = _texts()[:80]
    assert [wordbreaks.words(t) for t in texts] == [jieba_cut(t) for t in texts]


def test_a_new_index_is_made_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(wordbreaks.tempfile, "gettempdir", lambda: str(tmp_path))
    made = wordbreaks._Dictionary(wordbreaks._jieba_folder() / "dict.txt")
    assert made.words is None and made.total > 0
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".sqlite3")] == []
    again = wordbreaks._Dictionary(wordbreaks._jieba_folder() / "dict.txt")  # read, not made again
    assert (again.total, again.longest) == (made.total, made.longest)
