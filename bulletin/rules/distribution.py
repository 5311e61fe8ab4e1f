"""Who receives an issue: named lists, minus `remove`, plus `add`, plus free-text `extra`; and 共印."""
from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.i18n import _
from bulletin.model.files import (
    DistributionSpec,
    IssueMeta,
    PrintedRecipient,
    Problem,
    PublishedDistribution,
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


def recorded(meta: IssueMeta) -> PublishedDistribution | None:
    """The distribution a published issue recorded when it was published; None for a draft and for an
    issue published before the record existed (those still resolve against recipients.yaml)."""
    if meta.status == "published" and meta.published is not None:
        return meta.published.distribution
    return None


def from_record(record: PublishedDistribution) -> Distribution:
    """The distribution as the record has it: every role's names and copies in their printed order,
    本期增发, the archive copies and 共印 exactly as printed."""
    by_role: dict[str, list[Recipient]] = {role: [] for role in ROLES}
    for r in record.recipients:
        by_role[r.role].append(Recipient(id=r.id, name=r.name, role=r.role, copies=r.copies))
    return Distribution(by_role, list(record.extra), record.archive_copies, record.copies)


def record_of(dist: Distribution) -> PublishedDistribution:
    """What `publish` writes under published.distribution: `dist` as it prints, with its checksum."""
    record = PublishedDistribution(
        recipients=[PrintedRecipient(role=r.role, id=r.id, name=r.name, copies=r.copies) for r in dist.recipients],
        extra=list(dist.extra), archive_copies=dist.archive_copies, copies=dist.copies, sha256="0" * 64)
    return record.model_copy(update={"sha256": record.digest()})


def issue_distribution(meta: IssueMeta, directory: RecipientDirectory,
                       archive_copies: int = 0) -> tuple[Distribution, list[Problem]]:
    """The distribution an issue prints: a published issue's record when it has one (recipients.yaml
    plays no part, so the directory may change under it), else its spec resolved against `directory`."""
    record = recorded(meta)
    if record is not None:
        return from_record(record), []
    return resolve(meta.distribution, directory, archive_copies, meta.copies)
