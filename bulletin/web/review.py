"""The issue page's 审核与签发 section: the issue's status, its review history (who, when, which step,
the comment) and the buttons the person may use — 送审, 审核通过, 退回 (with its required 意见), 签发
and 发布. Each button is a POST through web.changes.perform to the same core function as the CLI
(commands.review, commands.publish)."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from bulletin.commands import review
from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.rules.permissions import LOCAL, Actor, Forbidden
from bulletin.store.versions import Conflict
from bulletin.web.changes import Change, perform
from bulletin.web.conflicts import form_version
from bulletin.web.home import workspace
from bulletin.web.pages import Can, error_page, not_found

# step → (the permission it needs, what the change is, in words; the button's word)
STEPS = {"submit": ("issue.submit", N_("send for review"), N_("Send for review")),
         "approve": ("issue.approve", N_("approve"), N_("Approve")),
         "return": ("issue.return", N_("return with a comment"), N_("Return")),
         "sign": ("issue.sign", N_("sign off"), N_("Sign off")),
         "publish": ("issue.publish", N_("publish"), N_("Publish"))}
STEP_WORDS = {"submit": N_("sent for review"), "approve": N_("approved"), "return": N_("returned"),
              "sign": N_("signed"), "reopen": N_("edited: back to draft")}
MAX_COMMENT = 2000


def actor_of(request: Request) -> Actor:
    """The person signed in (set by the accounts part), or the one user of a workspace without accounts."""
    return getattr(request.state, "actor", LOCAL)


def review_panel(request: Request, ws, key) -> dict | None:
    """What the section shows: the status, the steps (latest last), the printed names and, for each
    button, whether this person may use it now; None when issue.yaml does not read."""
    try:
        meta, _loaded = ws.load_issue(key)
        policy = review.policy(ws)
    except BulletinError:
        return None
    actor = actor_of(request)
    can = Can(actor, review.issue_facts(meta), policy)   # the page's one way to ask (web.pages.Can)
    buttons = [step for step, (action, _d, _w) in STEPS.items() if can(action)]
    if "publish" in buttons and (meta.status == "published"   # the one user's publish is allowed in any status
                                 or (actor.local and meta.status != "signed" and review.has_accounts(ws))):
        buttons.remove("publish")
    return {"status": meta.status, "local": actor.local,
            "steps": [{"step": s.step, "word": _(STEP_WORDS[s.step]), "by": s.by,
                       "at": s.at.strftime("%Y-%m-%d %H:%M"), "comment": s.comment} for s in meta.review],
            "printed": meta.printed_people().model_dump(), "buttons": buttons,
            "words": {step: _(word) for step, (_a, _d, word) in STEPS.items()}}


async def take(request: Request):
    """POST /issues/{name}/review/{step}: the step as the person signed in; back to the issue page, or
    the page with why not (403 when the person may not)."""
    from bulletin.commands.publish import publish
    from bulletin.web.issues import NoSuchIssue, _back, _issue_page, _key

    step = request.path_params["step"]
    if step not in STEPS:
        return not_found(request)
    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    data = await request.form(max_fields=10)
    comment = str(data.get("comment", ""))[:MAX_COMMENT]
    actor = actor_of(request)
    if actor.local:   # no accounts: the name typed beside the buttons is recorded (with every power)
        actor = Actor(" ".join(str(data.get("by", "")).split())[:40], actor.roles, local=True)
    action, describe, _word = STEPS[step]
    try:
        if step == "publish":
            await perform(request, Change(action, describe, {}, key), publish, ws, str(key), False, "", actor)
        else:
            await perform(request, Change(action, describe, {"comment": comment}, key),
                          review.take_step, ws, str(key), step, actor, comment, form_version(data),
                          str(data.get("seen", "")) or None)
    except Conflict:   # changed since the page was shown: the page as it is now, nothing recorded
        return await _issue_page(request, 409, form={"comment": comment, "conflict": "review"})
    except Forbidden as exc:
        return error_page(request, 403, exc.diagnostics[0].message, exc.diagnostics)
    except BulletinError as exc:
        return await _issue_page(request, 422, exc.diagnostics, form={"comment": comment})
    return _back(key)


routes = [Route("/issues/{name}/review/{step}", take, methods=["POST"], name="review_step")]
