"""Writing the search index: once per revision, when it is first published or scheduled.

Public content changes only through ``services.publish`` and ``services.withdraw`` (and a
schedule coming due, with no write at all), and a revision never changes. So a revision is
indexed once, inside the transaction that first publishes or schedules it, and its entries
stay: a query keeps only the revisions public at that moment (``reports.search.corpus``),
so entries of withdrawn or superseded revisions are never read into results.

Postings rows are read, extended and written back; the caller holds the public edition's row
lock (``PublicEdition.advance`` in the publishing services, ``serialized()`` otherwise), so
two writers never extend the same row at once.
"""

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q

from reports.models import PublicEdition, Report, Revision, SearchPosting, SearchText
from reports.search import vocabulary
from reports.search.postings import Entries, block_of, gram_masks
from reports.search.text import fold, joined_by_code, passages

logger = logging.getLogger(__name__)

# Rows per statement when reading and writing postings.
BATCH = 500


def serialized() -> None:
    """Take the lock the publishing services hold while they index (the public edition's row)."""
    PublicEdition.objects.bulk_create([PublicEdition(pk=1)], ignore_conflicts=True)
    list(PublicEdition.objects.select_for_update().filter(pk=1).values_list("pk"))


def index_revisions(revisions: Iterable[Revision]) -> int:
    """Index those of ``revisions`` not indexed yet; returns how many were. Call inside a transaction."""
    revisions = {revision.pk: revision for revision in revisions}
    done = set(SearchText.objects.filter(revision_id__in=list(revisions)).values_list("revision_id", flat=True))
    todo = [revision for pk, revision in sorted(revisions.items()) if pk not in done]
    texts, blocks, terms = [], {}, set()
    for revision in todo:
        content = revision.content
        by_code = {code: (text, fold(text)) for code, text in joined_by_code(passages(content)).items()}
        texts += [
            SearchText(revision_id=revision.pk, code=code, text=text, folded=folded if folded != text else "")
            for code, (text, folded) in by_code.items()
        ]
        block = blocks.setdefault(block_of(revision.pk), {})
        for gram, mask in gram_masks((code, folded) for code, (_, folded) in by_code.items()).items():
            entries = block.get(gram)
            if entries is None:
                entries = block[gram] = Entries()
            entries.add(revision.pk, mask)
        terms.update(vocabulary.terms_of(content))
    SearchText.objects.bulk_create(texts, batch_size=BATCH)
    for block, entries in blocks.items():
        _extend_postings(block, entries)
    vocabulary.add(terms)
    return len(todo)


def _extend_postings(block: int, new: dict[str, Entries]) -> None:
    grams = list(new)
    existing = {}
    for start in range(0, len(grams), BATCH):
        rows = SearchPosting.objects.filter(block=block, gram__in=grams[start : start + BATCH])
        existing.update({gram: (pk, entries) for pk, gram, entries in rows.values_list("pk", "gram", "entries")})
    updates = []
    for gram, (pk, entries) in existing.items():
        merged = Entries()
        merged.extend(entries)
        merged.extend(new[gram].packed())
        updates.append((merged.packed(), pk))
    if updates:
        table = connection.ops.quote_name(SearchPosting._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(updates), BATCH):
                cursor.executemany(
                    f"UPDATE {table} SET entries = %s WHERE id = %s",  # noqa: S608 - our own table name
                    updates[start : start + BATCH],
                )
    SearchPosting.objects.bulk_create(
        [SearchPosting(gram=gram, block=block, entries=new[gram].packed()) for gram in grams if gram not in existing],
        batch_size=BATCH,
    )


def public_or_scheduled_revisions():
    """Revisions the public sees now or will see when a schedule comes due."""
    pointers = Report.objects.filter(Q(live_revision__isnull=False) | Q(pending_revision__isnull=False))
    ids = {pk for pair in pointers.values_list("live_revision_id", "pending_revision_id") for pk in pair if pk}
    return Revision.objects.filter(pk__in=ids)


def index_missing(*, batch: int = 200) -> int:
    """Index every public or scheduled revision that is not indexed yet (a database older than the index).

    Also stores the glossary's words the vocabulary lacks (a new release may bring some).
    """
    vocabulary.add(vocabulary.glossary())
    missing = public_or_scheduled_revisions().exclude(pk__in=SearchText.objects.filter(code=0).values("revision_id"))
    ids = list(missing.order_by("pk").values_list("pk", flat=True))
    indexed = 0
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            serialized()
            indexed += index_revisions(Revision.objects.filter(pk__in=ids[start : start + batch]).only("content"))
    if indexed:
        logger.info("search: indexed %d published revisions", indexed)
    return indexed
