"""The docxtpl peer: the same article files poured into a Word template with a loop.

    python3 bench/docxtpl_peer.py TEMPLATE.docx OUT.docx ARTICLE.md …

What an office would write with docxtpl instead of bulletin: front matter read line by line, the body
split into paragraphs at blank lines, headings kept as their text, and a template that loops over the
articles. No numbering, no tail, no CJK rules: a floor for "a template with a loop", not an equal.
Run as a subprocess by bench/run.py so that its Python start-up is measured too.
"""
from __future__ import annotations

import sys
from pathlib import Path


def read_article(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        for line in head.split("\n"):
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip()] = value.strip()
    paragraphs = []
    for chunk in body.split("\n\n"):
        chunk = "".join(line.strip() for line in chunk.split("\n")).lstrip("#").strip()
        if chunk:
            paragraphs.append(chunk)
    return {"title": meta.get("title", path.stem), "source": meta.get("source", ""),
            "section": meta.get("section", ""), "paragraphs": paragraphs}


def main(argv: list[str]) -> int:
    from docxtpl import DocxTemplate

    template, out, *articles = argv
    doc = DocxTemplate(template)
    doc.render({"articles": [read_article(Path(p)) for p in articles]})
    doc.save(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
