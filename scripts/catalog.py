"""Keep the Chinese catalog in step with the code: extract, update, compile (Babel).

    python3 scripts/catalog.py            # extract the messages, update the .po, compile the .mo
    python3 scripts/catalog.py --check    # exit 1 when a message lacks a translation or the .mo is stale

Messages are the English strings marked `_()`, `N_()` or `ngettext()` in bulletin/ (library_words.py
lists the words of click and typer that we translate too). A new message enters the .po untranslated;
translate it there (keep every `{placeholder}`), then run this again to compile.
"""
from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bulletin"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "bulletin.po"
MO = PO.with_suffix(".mo")
# Fixed header dates keep the .po and .mo byte-identical from run to run.
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**.j2", "jinja2")]


def extracted() -> Catalog:
    """Every message the code marks, with where it stands."""
    catalog = Catalog(project="bulletin", domain="bulletin", fuzzy=False, creation_date=EPOCH)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), METHODS, keywords=KEYWORDS, strip_comment_tags=True,
            options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        catalog.add(message, None, [(f"bulletin/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def current() -> Catalog:
    if not PO.exists():
        return Catalog(locale="zh_CN", project="bulletin", domain="bulletin", fuzzy=False,
                       creation_date=EPOCH, revision_date=EPOCH, language_team="bulletin",
                       last_translator="bulletin")
    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def updated() -> Catalog:
    """The .po merged with what the code marks now: translations kept, new messages empty."""
    po = current()
    po.update(extracted(), no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    po.creation_date = po.revision_date = EPOCH
    po.obsolete.clear()  # messages the code no longer has
    po.fuzzy = False
    return po


def mo_bytes(po: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, po, use_fuzzy=False)
    return buf.getvalue()


def po_bytes(po: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, po, width=100, omit_header=False, sort_output=True, ignore_obsolete=True,
             include_lineno=False)
    return buf.getvalue()


def messages(po: Catalog) -> dict:
    """id → translation, the part of a catalog that matters (not its header, which names Babel's version)."""
    return {m.id: m.string for m in po if m.id}


def compiled(data: bytes) -> dict:
    """What a compiled catalog translates, without its header."""
    import gettext

    return {k: v for k, v in gettext.GNUTranslations(io.BytesIO(data))._catalog.items() if k}


def problems(po: Catalog) -> list[str]:
    """Messages without a (complete) Chinese translation."""
    from string import Formatter

    def fields(text: str) -> set[str]:
        try:
            return {f for _, f, _, _ in Formatter().parse(text) if f is not None}
        except ValueError:
            return {"<unbalanced braces>"}

    found = []
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if not all(strs) or message.fuzzy:
            found.append(f"{where}: no Chinese for {ids[0]!r}")
            continue
        if any(fields(s) != fields(ids[0]) for s in strs):
            found.append(f"{where}: the Chinese for {ids[0]!r} has other {{placeholders}}: {strs[0]!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 on any problem")
    args = parser.parse_args(argv)
    po = updated()
    trouble = problems(po)
    if args.check:
        stale = not PO.exists() or messages(current()) != messages(po)
        stale_mo = not MO.exists() or compiled(MO.read_bytes()) != compiled(mo_bytes(po))
        for line in trouble:
            print(line, file=sys.stderr)
        if stale or stale_mo:
            print(f"{PO.relative_to(ROOT)} or its .mo is not up to date: run python3 scripts/catalog.py",
                  file=sys.stderr)
        return 1 if trouble or stale or stale_mo else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(po_bytes(po))
    MO.write_bytes(mo_bytes(po))
    for line in trouble:
        print(line, file=sys.stderr)
    print(f"{len(po)} messages, {len(trouble)} to translate", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
