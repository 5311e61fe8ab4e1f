"""`bulletin init`: a new workspace from the starter templates."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.store.atomic import atomic_write_many


def parse_first(text: str):
    """`--first 2012-1-61` (year-number-total of the first issue the workspace will hold) → FirstIssue;
    ValueError with a message saying what is wrong."""
    import re

    from bulletin.model.files import FirstIssue

    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,3})-([0-9]{1,6})", text.strip())
    if m is None:
        raise ValueError(_("{text!r} is not YEAR-NUMBER-TOTAL; write e.g. 2012-1-61 for 第1期（总第61期） of 2012")
                         .format(text=text))
    year, number, total = (int(g) for g in m.groups())
    if not 1949 <= year <= 2999:
        raise ValueError(_("the year {year} is not between 1949 and 2999").format(year=year))
    if number < 1 or total < 1:
        raise ValueError(_("the number and the total count from 1 ({text!r})").format(text=text))
    if total < number:
        raise ValueError(_("the total {total} is smaller than the number {number}; the total (总第…期) counts "
                           "every regular issue since the first").format(total=total, number=number))
    return FirstIssue(year=year, number=number, total=total)


def init_workspace(target: Path, name: str | None = None, editor: str | None = None, first=None) -> list[Path]:
    """Create a workspace with a starter bulletin.toml and recipients.yaml (never overwriting); `first`
    (a FirstIssue) numbers its first issue, else 第1期（总第1期） of this year."""
    from bulletin.model.files import FirstIssue

    target = Path(target)
    config = target / "bulletin.toml"
    if config.exists():
        raise fail(config, None, _("a workspace already exists here"), _("choose an empty folder"))
    from bulletin.store.templates import render_template

    first = first or FirstIssue(year=_dt.date.today().year)
    values = {"name": name or "工作简报", "editor": editor or "××办公室", "year": first.year,
              "number": first.number, "total": first.total}
    files = {config: render_template(starter_template("bulletin.toml"), values),
             target / "recipients.yaml": render_template(starter_template("recipients.yaml"), values)}
    files = {p: t for p, t in files.items() if not p.exists()}
    atomic_write_many(files)
    (target / "issues").mkdir(exist_ok=True)
    return list(files)


def starter_template(name: str) -> str:
    """The starter template of `name` in the reader's language: the Chinese starter files are whole
    files of their own (`bulletin.zh.toml.j2`), so their comments read as written, and say the same
    as the English ones with the same keys and values (tests/unit/test_starter_files.py)."""
    from bulletin.i18n import language

    if language() == "zh":
        stem, suffix = name.rsplit(".", 1)
        return f"starter/{stem}.zh.{suffix}.j2"
    return f"starter/{name}.j2"
