"""How the workbench's templates are rendered (web.pages.environment): a template's words go straight to
i18n._, in the person's language, without jinja copying the page's context for each of them (inside a
loop its own `_` did, for every call: a sixth of the issue page's rendering with ninety articles)."""
from __future__ import annotations

import jinja2.runtime

from bulletin import i18n
from bulletin.web.pages import environment

# as the issue page's rows: a word set inside the loop (jinja then hands the loop's names to each call)
LOOP = ('{% for a in rows %}{% set named = _("{action}: {title}").format(action=_("Remove"), title=a) %}'
        '<button title="{{ _("Move up") }}">{{ named }}</button>{% endfor %}')


def test_words_in_a_loop_are_translated_without_copying_the_context(monkeypatch):
    copies = []
    real = jinja2.runtime.Context.derived
    monkeypatch.setattr(jinja2.runtime.Context, "derived", lambda self, *a, **k: copies.append(1) or real(self, *a, **k))
    template = environment().from_string(LOOP)
    with i18n.speaking("zh"):
        chinese = template.render(rows=["<第1篇>", "第2篇"])
    english = template.render(rows=["<第1篇>"])
    assert copies == []
    assert chinese == ('<button title="上移">移除：&lt;第1篇&gt;</button><button title="上移">移除：第2篇</button>')
    assert english == '<button title="Move up">Remove: &lt;第1篇&gt;</button>'
