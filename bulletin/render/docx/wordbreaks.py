"""Where the words of a Chinese title end: jieba's segmentation (its dictionary, its hidden Markov
model for words the dictionary lacks), without loading jieba's dictionary into memory.

jieba builds a dict of its 350,000 words and all their prefixes on first use: about 0.4 s and 80 MB
in every process that wraps a title, four fifths of a `bulletin render`. Here the dictionary is an
SQLite index made once from jieba's own dict.txt (kept in the temporary folder, as jieba keeps its
cache; made again when dict.txt changes), and a title looks up only its own substrings. The steps are
jieba 0.42's `Tokenizer.cut(text, HMM=True)` one by one, with its arithmetic in the same order, so the
words are jieba's; tests/unit/test_wordbreaks.py compares the two.
"""
from __future__ import annotations

import importlib.util
import os
import re
import tempfile
import zlib
from math import log
from pathlib import Path

# jieba's blocks: runs of these characters are segmented; spaces and line ends are words of their own;
# anything else is one word per character.
_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_SPACE = re.compile("(\r\n|\\s)")
# its model's blocks: Han runs go through the model, Latin words and numbers stay whole
_HAN = re.compile("([\u4E00-\u9FD5]+)")
_LATIN = re.compile("([a-zA-Z0-9]+(?:\\.\\d+)?%?)")

_INDEX_FORMAT = 2  # part of the index's file name: a new layout never reads an old file
_LOOKUPS_PER_QUERY = 900  # below SQLite's oldest limit of 999 parameters in one statement


def _jieba_folder() -> Path:
    """jieba's package folder, found without importing jieba (its import alone takes 60 ms)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def _read_dictionary(path: Path) -> tuple[dict[str, int], int]:
    """Each word's frequency (a word listed twice keeps its last) and the sum of all, as jieba reads them."""
    words: dict[str, int] = {}
    total = 0
    with open(path, "rb") as lines:
        for line in lines:
            word, freq = line.strip().decode("utf-8").split(" ")[:2]
            words[word] = int(freq)
            total += int(freq)
    return words, total


class _Dictionary:
    """jieba's dictionary as an index: the frequency of the words among a text's substrings, and its
    model's emission log-probabilities of the characters of a text (its largest table, 1.3 MB of
    Python to import otherwise)."""

    def __init__(self, path: Path):
        self.words: dict[str, int] | None = None  # in memory, where no index could be written
        self.db = None
        try:
            self.db = self._open_index(path)
            self.total, self.longest = self.db.execute("SELECT total, longest FROM meta").fetchone()
        except Exception:  # no sqlite3, an unwritable temporary folder: jieba's way, slow but the same
            self.db = None
            self.words, self.total = _read_dictionary(path)
            self.longest = max(map(len, self.words))

    def emissions(self, text: str) -> dict[str, dict[str, float]]:
        """For each state (B M E S), the emission log-probability of each character of `text` the model has."""
        if self.db is None:
            emit = _model_table("prob_emit")
            return {state: {c: emit[state][c] for c in set(text) if c in emit[state]} for state in "BMES"}
        out: dict[str, dict[str, float]] = {state: {} for state in "BMES"}
        chars = sorted(set(text))
        for start in range(0, len(chars), _LOOKUPS_PER_QUERY):
            chunk = chars[start:start + _LOOKUPS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            for state, char, p in self.db.execute(f"SELECT state, char, p FROM emit WHERE char IN ({marks})", chunk):
                out[state][char] = p
        return out

    @staticmethod
    def _open_index(path: Path):
        import sqlite3

        stat = path.stat()
        where = zlib.crc32(str(path.resolve()).encode("utf-8", "surrogateescape"))
        index = Path(tempfile.gettempdir()) / (f"bulletin-jieba-{_INDEX_FORMAT}-{where:08x}-{stat.st_size}-"
                                                f"{stat.st_mtime_ns}.sqlite3")
        if not index.is_file():
            words, total = _read_dictionary(path)
            part = index.with_name(f"{index.name}.{os.getpid()}.part")
            try:
                db = sqlite3.connect(part)
                db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER) WITHOUT ROWID")
                db.executemany("INSERT INTO words VALUES (?, ?)", words.items())
                db.execute("CREATE TABLE emit (char TEXT, state TEXT, p REAL, PRIMARY KEY (char, state)) "
                           "WITHOUT ROWID")
                db.executemany("INSERT INTO emit VALUES (?, ?, ?)", ((char, state, p) for state, table in
                                                                      _model_table("prob_emit").items()
                                                                      for char, p in table.items()))
                db.execute("CREATE TABLE meta (total INTEGER, longest INTEGER)")
                db.execute("INSERT INTO meta VALUES (?, ?)", (total, max(map(len, words))))
                db.commit()
                db.close()
                os.replace(part, index)  # whole or not at all, when two processes make it at once
            finally:
                part.unlink(missing_ok=True)
        return sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True, check_same_thread=False)

    def frequencies(self, text: str) -> dict[str, int]:
        """The substrings of `text` that are words of the dictionary, with their frequencies."""
        pieces = {text[a:b] for a in range(len(text)) for b in range(a + 1, min(len(text), a + self.longest) + 1)}
        if self.words is not None:
            return {p: self.words[p] for p in pieces if p in self.words}
        found: dict[str, int] = {}
        pieces_list = sorted(pieces)
        for start in range(0, len(pieces_list), _LOOKUPS_PER_QUERY):
            chunk = pieces_list[start:start + _LOOKUPS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT word, freq FROM words WHERE word IN ({marks})", chunk))
        return found


_DICTIONARY: _Dictionary | None = None
_TABLES: dict[str, dict] = {}


def _dictionary() -> _Dictionary:
    global _DICTIONARY
    if _DICTIONARY is None:
        _DICTIONARY = _Dictionary(_jieba_folder() / "dict.txt")
    return _DICTIONARY


def _model_table(name: str) -> dict:
    """One table of jieba's model of words outside the dictionary (prob_start, prob_trans: log-
    probabilities of the first state and of each change of state; prob_emit: of each character in each
    state), read from its module without importing jieba."""
    if name not in _TABLES:
        spec = importlib.util.spec_from_file_location(f"bulletin._jieba_{name}", _jieba_folder() / "finalseg" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _TABLES[name] = module.P
    return _TABLES[name]


# --- jieba 0.42.1's steps (MIT licence), kept as written there: the same words, the same ties ---------

_MIN_FLOAT = -3.14e100
_PREVIOUS = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}


def _viterbi(obs: str) -> list[str]:
    start_p, trans_p = _model_table("prob_start"), _model_table("prob_trans")
    emit_p = _dictionary().emissions(obs)
    V = [{}]
    path = {}
    for y in "BMES":
        V[0][y] = start_p[y] + emit_p[y].get(obs[0], _MIN_FLOAT)
        path[y] = [y]
    for t in range(1, len(obs)):
        V.append({})
        newpath = {}
        for y in "BMES":
            em_p = emit_p[y].get(obs[t], _MIN_FLOAT)
            prob, state = max([(V[t - 1][y0] + trans_p[y0].get(y, _MIN_FLOAT) + em_p, y0) for y0 in _PREVIOUS[y]])
            V[t][y] = prob
            newpath[y] = path[state] + [y]
        path = newpath
    _prob, state = max((V[len(obs) - 1][y], y) for y in "ES")
    return path[state]


def _unknown_words(text: str) -> list[str]:
    """jieba's finalseg.cut: words of a run the dictionary does not know, by the model."""
    out: list[str] = []
    for block in _HAN.split(text):
        if _HAN.match(block):
            states = _viterbi(block)
            begin, next_i = 0, 0
            for i, char in enumerate(block):
                if states[i] == "B":
                    begin = i
                elif states[i] == "E":
                    out.append(block[begin:i + 1])
                    next_i = i + 1
                elif states[i] == "S":
                    out.append(char)
                    next_i = i + 1
            if next_i < len(block):
                out.append(block[next_i:])
        else:
            out += [x for x in _LATIN.split(block) if x]
    return out


def _block_words(sentence: str, dictionary: _Dictionary) -> list[str]:
    """jieba's Tokenizer.__cut_DAG: the likeliest path through the dictionary's words; runs of single
    characters the dictionary does not know as one word go to the model."""
    freq = dictionary.frequencies(sentence)
    n = len(sentence)
    dag = {k: [i for i in range(k, min(n, k + dictionary.longest)) if freq.get(sentence[k:i + 1])] or [k]
           for k in range(n)}
    route = {n: (0, 0)}
    logtotal = log(dictionary.total)
    for idx in range(n - 1, -1, -1):
        route[idx] = max((log(freq.get(sentence[idx:x + 1]) or 1) - logtotal + route[x + 1][0], x)
                         for x in dag[idx])
    out: list[str] = []

    def flush(buf: str) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not freq.get(buf):
            out.extend(_unknown_words(buf))
        else:
            out.extend(buf)

    x, buf = 0, ""
    while x < n:
        y = route[x][1] + 1
        word = sentence[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                flush(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        flush(buf)
    return out


def words(text: str) -> list[str]:
    """`text` cut into words as jieba's `cut(text, HMM=True)` cuts it."""
    out: list[str] = []
    for block in _BLOCK.split(text):
        if not block:
            continue
        if _BLOCK.match(block):
            out += _block_words(block, _dictionary())
        else:
            for piece in _SPACE.split(block):
                if _SPACE.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)
    return out
