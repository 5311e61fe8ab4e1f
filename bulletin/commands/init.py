"""`bulletin init`: a new workspace from the starter templates."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from bulletin.errors import fail
from bulletin.store.atomic import atomic_write_many


def parse_first(text: str):
    """`--first 2012-1-61` (year-number-total of the first issue the workspace will hold) → FirstIssue;
    ValueError with a message saying what is wrong."""
    import re

    from bulletin.model.files import FirstIssue

    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,3})-([0-9]{1,6})", text.strip())
    if m is None:
        raise ValueError(f"{text!r} is not YEAR-NUMBER-TOTAL; write e.g. 2012-1-61 for 第1期（总第61期） of 2012")
    year, number, total = (int(g) for g in m.groups())
    if not 1949 <= year <= 2999:
        raise ValueError(f"the year {year} is not between 1949 and 2999")
    if number < 1 or total < 1:
        raise ValueError(f"the number and the total count from 1 ({text!r})")
    if total < number:
        raise ValueError(f"the total {total} is smaller than the number {number}; the total (总第…期) counts "
                         "every regular issue since the first")
    return FirstIssue(year=year, number=number, total=total)


def init_workspace(target: Path, name: str | None = None, editor: str | None = None, first=None) -> list[Path]:
    """Create a workspace with a starter bulletin.toml and recipients.yaml (never overwriting); `first`
    (a FirstIssue) numbers its first issue, else 第1期（总第1期） of this year."""
    from bulletin.model.files import FirstIssue

    target = Path(target)
    config = target / "bulletin.toml"
    if config.exists():
        raise fail(config, None, "a workspace already exists here", "choose an empty folder")
    from bulletin.store.templates import render_template

    first = first or FirstIssue(year=_dt.date.today().year)
    values = {"name": name or "工作简报", "editor": editor or "××办公室", "year": first.year,
              "number": first.number, "total": first.total}
    files = {config: render_template("starter/bulletin.toml.j2", values),
             target / "recipients.yaml": render_template("starter/recipients.yaml.j2", values)}
    files = {p: t for p, t in files.items() if not p.exists()}
    atomic_write_many(files)
    (target / "issues").mkdir(exist_ok=True)
    return list(files)
