"""Tamper evidence: the canonical form of history records and their SHA-256 chain.

Each record's hash covers its canonical content and the previous record's hash of the
same report, so changing or removing any row breaks every hash after it. The canonical
form is JSON with sorted keys, no whitespace and non-ASCII kept as UTF-8.
"""

import hashlib
import json


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chained_hash(payload: dict, previous_hash: str) -> str:
    """SHA-256 hex digest of ``previous_hash`` + the canonical JSON of ``payload``."""
    return hashlib.sha256((previous_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def revision_payload(revision) -> dict:
    return {
        "report": revision.report_id,
        "number": revision.number,
        "author": revision.author_id,
        "created_at": revision.created_at.isoformat(),
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
        "created_at": event.created_at.isoformat(),
        "revision": event.revision_id,
        "effective_at": event.effective_at.isoformat() if event.effective_at else None,
        "secrecy_checked": event.secrecy_checked,
        "comment_is_public": event.comment_is_public,
    }
