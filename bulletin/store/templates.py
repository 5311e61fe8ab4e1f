"""Text templates (jinja2): the workspace's templates/ first, then the built-in ones.

A workspace template is the office's own file, but it may come from anywhere (copied from another
office, a shared drive), so every template runs in jinja2's sandbox — no attribute tricks reach
Python internals — with XML autoescaping for `*.xml.j2`, and any error names the template and line.
"""
from __future__ import annotations

import json
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import _


def _environment(search: list[Path]):
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader([str(p) for p in search]),
                                        undefined=StrictUndefined, keep_trailing_newline=True,
                                        autoescape=select_autoescape(enabled_extensions=("xml", "xml.j2"),
                                                                     default_for_string=False))
    # JSON strings are valid YAML and TOML basic strings: safe quoting for any value.
    env.filters["yaml"] = env.filters["toml"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


def render_template(name: str, values: dict, workspace_templates: Path | None = None) -> str:
    """Render template `name`; BulletinError naming the template file and line on any error."""
    from jinja2 import TemplateError, TemplateSyntaxError

    from bulletin.store.presets import builtin_templates

    search = [p for p in (workspace_templates, builtin_templates()) if p is not None and p.is_dir()]
    env = _environment(search)
    try:
        template = env.get_template(name)
    except TemplateSyntaxError as exc:
        raise fail(_shown(exc.filename, name, search), exc.lineno,
                   _("template error: {problem}").format(problem=exc.message),
                   _("fix the template, or delete it to use the built-in one")) from None
    except TemplateError as exc:
        raise fail(name, None, _("template not found: {problem}").format(problem=exc)) from None
    try:
        return template.render(**values)
    except TemplateError as exc:
        line = _template_line(exc, template.filename)
        raise fail(_shown(template.filename, name, search), line, _("template error: {problem}").format(problem=exc),
                   _("templates may only use the values they are given")) from None


def _shown(filename: str | None, name: str, search: list[Path]) -> str:
    """The template's path relative to the workspace when it is the office's own."""
    if not filename:
        return name
    path = Path(filename)
    for root in search[:1]:
        try:
            return str(Path("templates") / path.relative_to(root))
        except ValueError:
            pass
    return str(path)


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """jinja2 rewrites tracebacks so the template's own line appears as a frame of the template file."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if filename and tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
