"""Who receives an issue: named lists, minus `remove`, plus `add`, plus free-text `extra`; and 共印."""
from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.i18n import _
from bulletin.model.files import (
    DistributionSpec,
    Problem,
    Recipient,
    RecipientDirectory,
    _suggest,
)

ROLES = ("报", "送", "发")


@dataclass
class Distribution:
    """The resolved distribution of one issue, grouped by role in the directory's order."""

    by_role: dict[str, list[Recipient]] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    archive_copies: int = 0
    copies_override: int | None = None

    @property
    def recipients(self) -> list[Recipient]:
        return [r for role in ROLES for r in self.by_role.get(role, [])]

    @property
    def recipient_copies(self) -> int:
        """Copies sent out: each recipient's copies, one per `extra` line."""
        return sum(r.copies for r in self.recipients) + len(self.extra)

    @property
    def copies(self) -> int:
        """共印: the issue's override, else the copies sent out plus the office's archive copies."""
        if self.copies_override is not None:
            return self.copies_override
        return self.recipient_copies + self.archive_copies


def resolve(spec: DistributionSpec, directory: RecipientDirectory, archive_copies: int = 0,
            copies_override: int | None = None) -> tuple[Distribution, list[Problem]]:
    """Resolve an issue's distribution; problems carry key paths inside issue.yaml."""
    problems: list[Problem] = []
    known = directory.by_id()
    chosen: set[str] = set()
    names = spec.lists or (["default"] if "default" in directory.lists else [])
    for i, name in enumerate(spec.lists):
        if name not in directory.lists:
            problems.append((("distribution", "lists", i),
                             _("there is no list {name!r} in recipients.yaml").format(name=name),
                             _suggest(name, directory.lists)))
    for name in names:
        chosen.update(directory.lists.get(name, []))
    for field_name in ("add", "remove"):
        for i, rid in enumerate(getattr(spec, field_name)):
            if rid not in known:
                problems.append((("distribution", field_name, i),
                                 _("unknown recipient id {id!r}").format(id=rid), _suggest(rid, known)))
    chosen.difference_update(spec.remove)            # lists − remove + add: an explicit add wins
    chosen.update(r for r in spec.add if r in known)
    by_role: dict[str, list[Recipient]] = {role: [] for role in ROLES}
    for recipient in directory.recipients:
        if recipient.id in chosen:
            by_role[recipient.role].append(recipient)
            chosen.discard(recipient.id)  # a duplicated id is printed once
    return Distribution(by_role, list(spec.extra), archive_copies, copies_override), problems
