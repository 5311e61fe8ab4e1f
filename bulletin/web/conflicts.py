"""What the workbench shows when a save meets a file changed since its form was opened
(store.versions.Conflict): the version a form carries, and a readable diff of the other person's text
against the unsaved one, line by line and, within a changed line, character by character (a Chinese
paragraph is one line: one word changed in it should not look like a new paragraph)."""
from __future__ import annotations

from difflib import SequenceMatcher

SIMILAR = 0.5  # lines this alike are one line edited: its changed characters are marked
CONTEXT = 2  # unchanged lines shown around a change; longer runs are folded into "… n lines …"


def form_version(data) -> str | None:
    """The `version` a form carried, or None (a form without one: no check, as the CLI)."""
    value = str(data.get("version", "") or "").strip()
    return value or None


def _parts(theirs: str, yours: str) -> tuple[list[tuple[bool, str]], list[tuple[bool, str]]]:
    """The two lines cut into (changed, text) runs."""
    a, b = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, theirs, yours, autojunk=False).get_opcodes():
        if i2 > i1:
            a.append((op != "equal", theirs[i1:i2]))
        if j2 > j1:
            b.append((op != "equal", yours[j1:j2]))
    return a, b


def body_diff(theirs: str, yours: str) -> list[dict]:
    """The lines of the diff, in order, each {"kind": "same" | "theirs" | "yours" | "folded", "line":
    its number in its own text, "parts": [(changed, text)], "count": folded lines}: "theirs" a line
    only the file as it is now has, "yours" one only the unsaved text has."""
    def lines(text: str) -> list[str]:   # as a save writes it: one newline at the end, none in between counted
        return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")

    a, b = lines(theirs), lines(yours)
    out: list[dict] = []
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            keep_head = CONTEXT if n > 0 else 0
            keep_tail = CONTEXT if n < len(opcodes) - 1 else 0
            if i2 - i1 > keep_head + keep_tail + 1:
                out += [{"kind": "same", "line": j1 + k + 1, "parts": [(False, b[j1 + k])]} for k in range(keep_head)]
                out.append({"kind": "folded", "count": i2 - i1 - keep_head - keep_tail})
                out += [{"kind": "same", "line": j2 - keep_tail + k + 1, "parts": [(False, b[j2 - keep_tail + k])]}
                        for k in range(keep_tail)]
            else:
                out += [{"kind": "same", "line": j1 + k + 1, "parts": [(False, b[j1 + k])]} for k in range(i2 - i1)]
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        theirs_lines, yours_lines = [], []
        for k in range(pairs):
            if SequenceMatcher(None, a[i1 + k], b[j1 + k], autojunk=False).ratio() < SIMILAR:
                pa, pb = [(True, a[i1 + k])], [(True, b[j1 + k])]   # two different lines, not one edited
            else:
                pa, pb = _parts(a[i1 + k], b[j1 + k])
            theirs_lines.append({"kind": "theirs", "line": i1 + k + 1, "parts": pa})
            yours_lines.append({"kind": "yours", "line": j1 + k + 1, "parts": pb})
        theirs_lines += [{"kind": "theirs", "line": i + 1, "parts": [(True, a[i])]} for i in range(i1 + pairs, i2)]
        yours_lines += [{"kind": "yours", "line": j + 1, "parts": [(True, b[j])]} for j in range(j1 + pairs, j2)]
        out += theirs_lines + yours_lines
    if all(line["kind"] in ("same", "folded") for line in out):
        return []
    return out
