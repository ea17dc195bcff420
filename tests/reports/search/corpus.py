"""Published reports made straight in the database, for search tests that need many of them.

Publishing through the services is exercised elsewhere (and indexes the revision); here a
report and its public revision are written directly, the publication pointer set as
``services.publish`` sets it, and the revision indexed by the same function the service
calls, so hundreds of generated texts cost milliseconds each.
"""

import itertools

from django.utils import timezone

from reports.history.revisions import content_of, search_text
from reports.models import PublicEdition, Report, Revision
from reports.search.indexing import index_revisions
from tests import factories

_serial = itertools.count(1)


def section(kind: str, *, heading: str = "", bodies=(), item_headings=()) -> dict:
    items = [
        {"heading": item_heading, "body": f"<p>{body}</p>" if body else "", "children": []}
        for item_heading, body in itertools.zip_longest(item_headings, bodies, fillvalue="")
    ]
    return {"kind": kind, "heading": heading or kind, "intro": "", "items": items}


def publish_directly(*, organization=None, year: int = 2019, sections=(), preamble: str = "", at=None) -> Report:
    """A report public since ``at`` (now) whose public revision holds ``sections`` (see ``section``)."""
    organization = organization or factories.make_organization()
    at = at or timezone.now()
    report = Report(organization=organization, year=year, preamble=f"<p>{preamble}</p>" if preamble else "")
    report.save()
    content = content_of(report, sections=list(sections), tags=[], attachments=[])
    revision = Revision(
        report=report,
        number=1,
        created_at=at,
        state="published",
        title=content["title"],
        content=content,
        search_text=search_text(content),
        hash=f"{next(_serial):064x}",
    )
    revision.save()
    Report.objects.filter(pk=report.pk).update(
        state="published", live_revision=revision, live_since=at, first_published_at=at
    )
    index_revisions([revision])
    PublicEdition.advance()
    report.refresh_from_db()
    return report
