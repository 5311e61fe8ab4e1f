"""The workbench's accounts as `bulletin user add|passwd|roles|remove` and the /accounts page change them.

Both front ends call these functions, so the rules are in one place: what the name, the roles and the
password must be (accounts.store's checks), the password typed twice alike, and that the workspace
keeps an administrator — the last one can neither be removed nor lose the role, for then nobody could
manage the accounts from the workbench. Removing one's own account (the web says who asks) needs
`confirmed`. Each check and its write happen under the workspace lock, so two administrators at once
cannot both remove "the other" admin. A refusal is a FormRefused naming the form field (name, roles,
password, again, confirm) for the page, with the same words for the command line. The password is
never part of a message, the audit trail or the history.
"""
from __future__ import annotations

from bulletin.accounts.store import Account, AccountStore, check_name, check_password, check_roles, check_unit
from bulletin.commands.directory import FormRefused
from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _
from bulletin.store.workspace import Workspace

WHERE = "bulletin user"


def _problems(field: str, exc: BulletinError) -> list[tuple[str, Diagnostic]]:
    return [(field, d) for d in exc.diagnostics]


def _problem(field: str, message: str, hint: str = "") -> tuple[str, Diagnostic]:
    return field, Diagnostic(WHERE, None, message, "error", hint)


def _checked_password(password: str, again: str | None, name: str) -> list[tuple[str, Diagnostic]]:
    """The password's problems: `again` (None: asked twice already) differing, or the store's rules."""
    if again is not None and password != again:
        return [_problem("again", _("the two passwords differ"), _("type the same password twice"))]
    try:
        check_password(password, name)
    except BulletinError as exc:
        return _problems("password", exc)
    return []


def _admins(store: AccountStore) -> list[str]:
    return [a.name for a in store.accounts() if "admin" in a.roles]


def _unit_problems(ws: Workspace, roles, unit: str) -> list[tuple[str, Diagnostic]]:
    """A submitter sends for one of the workspace's units (commands.submissions.units); no other role has one."""
    from bulletin.commands.submissions import units

    try:
        check_unit(tuple(roles), unit, units(ws) if "submitter" in roles else None)
    except BulletinError as exc:
        return _problems("unit", exc)
    return []


def add_account(ws: Workspace, name: str, roles, password: str, again: str | None = None, by: str = "",
                unit: str = "") -> Account:
    """A new account `name` with `roles` and `password` (typed twice: `again`), a submitter's `unit`;
    every problem at once."""
    problems: list[tuple[str, Diagnostic]] = []
    store = AccountStore(ws)
    try:
        name = check_name(name)
    except BulletinError as exc:
        problems += _problems("name", exc)
    try:
        roles = check_roles(roles)
    except BulletinError as exc:
        problems += _problems("roles", exc)
    else:
        problems += _unit_problems(ws, roles, unit)
    problems += _checked_password(password, again, name)
    with ws.lock():
        if not problems and store.actor(name) is not None:
            problems.append(_problem("name", _("there is already an account named {name}").format(name=name),
                                     _("choose another name, or change its password with: bulletin user passwd "
                                       "{name}").format(name=name)))
        if problems:
            raise FormRefused(problems)
        return store.add(name, roles, password, by=by, unit=unit)


def _existing(store: AccountStore, name: str) -> None:
    if store.actor(name) is None:
        raise FormRefused([_problem("name", _("there is no account named {name}").format(name=name),
                                    _("bulletin user list shows the accounts"))])


def set_password(ws: Workspace, name: str, password: str, again: str | None = None, by: str = "") -> None:
    """A new password for `name`; every session of the account ends (the store's rule)."""
    store = AccountStore(ws)
    with ws.lock():
        _existing(store, name)
        problems = _checked_password(password, again, name)
        if problems:
            raise FormRefused(problems)
        store.set_password(name, password, by=by)


def set_roles(ws: Workspace, name: str, roles, by: str = "", unit: str | None = None) -> tuple[str, ...]:
    """`name`'s roles become `roles` (a submitter's `unit`: None keeps the one it has); refused when it would
    leave the workspace without an administrator."""
    store = AccountStore(ws)
    try:
        roles = check_roles(roles)
    except BulletinError as exc:
        raise FormRefused(_problems("roles", exc)) from None
    if unit is None and "submitter" in roles:
        kept = store.actor(name)
        unit = kept.unit if kept is not None else ""
    problems = _unit_problems(ws, roles, unit or "")
    if problems:
        raise FormRefused(problems)
    with ws.lock():
        _existing(store, name)
        if "admin" not in roles and _admins(store) == [name]:
            raise FormRefused([_problem("roles", _("{name} is the only administrator: the role stays until another "
                                                   "account has it").format(name=name),
                                        _("give another account the role administrator first"))])
        store.set_roles(name, roles, by=by, unit=unit or "")
    return roles


def remove_account(ws: Workspace, name: str, by: str = "", asker: str = "", confirmed: bool = False) -> None:
    """Remove `name` and its sessions (its audit rows stay). Refused for the only administrator, and for
    the asker's own account (`asker`: who asks, on the web) unless `confirmed`."""
    store = AccountStore(ws)
    with ws.lock():
        _existing(store, name)
        if _admins(store) == [name]:
            raise FormRefused([_problem("name", _("{name} is the only administrator and cannot be removed").format(
                name=name), _("give another account the role administrator first"))])
        if asker and name == asker and not confirmed:
            raise FormRefused([_problem("confirm", _("this is your own account: removing it signs you out for good"),
                                        _("tick the box to confirm, or ask another administrator"))])
        store.remove(name, by=by)
