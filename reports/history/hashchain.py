"""Tamper evidence: the canonical form of history records and their SHA-256 chain.

Each record's hash covers its canonical content and the previous record's hash of the
same report, so changing or removing any row breaks every hash after it. The canonical
form is JSON with sorted keys, no whitespace and non-ASCII kept as UTF-8; times are
ISO 8601 in UTC. An external auditor can check an export with the standard library
alone (see the README, "审计与历史记录 / History and tamper evidence").
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext as _


def canonical_json(payload: dict) -> str:
    # No ``default=``: a value JSON cannot express must fail here rather than be hashed
    # in a form an outside verifier cannot reproduce.
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chained_hash(payload: dict, previous_hash: str) -> str:
    """SHA-256 hex digest of ``previous_hash`` + the canonical JSON of ``payload``."""
    return hashlib.sha256((previous_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def timestamp(value: datetime | None) -> str | None:
    """A time in the one spelling the chain uses, whatever zone it was given in.

    The database hands times back in UTC; a time written in Asia/Shanghai must hash the
    same before and after that round trip.
    """
    return value.astimezone(UTC).isoformat() if value is not None else None


def revision_payload(revision) -> dict:
    return {
        "report": revision.report_id,
        "number": revision.number,
        "author": revision.author_id,
        "created_at": timestamp(revision.created_at),
        "state": revision.state,
        "comment": revision.comment,
        "title": revision.title,
        "content": revision.content,
    }


def event_payload(event) -> dict:
    return {
        "report": event.report_id,
        "sequence": event.sequence,
        "actor": event.actor_id,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "comment": event.comment,
        "created_at": timestamp(event.created_at),
        "revision": event.revision_id,
        "effective_at": timestamp(event.effective_at),
        "secrecy_checked": event.secrecy_checked,
        "comment_is_public": event.comment_is_public,
    }


@dataclass(frozen=True)
class ChainBreak:
    """The first record of a chain that does not check out, and why."""

    record: object
    position: int
    reason: str


def first_break(records: Iterable, *, payload: Callable[[object], dict], position: str) -> ChainBreak | None:
    """Walk one report's records in order; return the first that breaks the chain.

    ``position`` names the counter that must run 1, 2, 3, … without gaps ("number" for
    revisions, "sequence" for events), so a removed row is caught even where its
    neighbours' hashes were recomputed by hand.
    """
    previous_hash = ""
    for expected, record in enumerate(records, start=1):
        found = getattr(record, position)
        if found != expected:
            reason = _("序号为 %(found)s，应为 %(expected)s：有记录缺失") % {"found": found, "expected": expected}
            return ChainBreak(record, found, reason)
        if record.previous_hash != previous_hash:
            return ChainBreak(record, found, _("previous_hash 与上一条记录的哈希值不符"))
        if chained_hash(payload(record), record.previous_hash) != record.hash:
            return ChainBreak(record, found, _("哈希值与记录内容不符"))
        previous_hash = record.hash
    return None
