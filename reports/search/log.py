"""What residents search for, by day: each phrase, how often, and how many reports it found.

Only the phrase, the day and the counts are kept: no address, no account, no time of day.
A search counts once when its first page is asked for without filters; paging and
narrowing a search are not new searches.
"""

from django.db import connection
from django.db.models import F
from django.utils import timezone

from reports.models import SearchLogEntry

MAX_PHRASE_LENGTH = SearchLogEntry._meta.get_field("phrase").max_length


def phrase_of(text: str) -> str:
    return " ".join((text or "").split())[:MAX_PHRASE_LENGTH]


def record(phrase: str, *, results: int) -> None:
    """Count a search whose results were just worked out (one statement: an insert or an increment)."""
    if not phrase:
        return
    table = connection.ops.quote_name(SearchLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, phrase, results, searches) VALUES (%s, %s, %s, 1) "  # noqa: S608 - our table
            f"ON CONFLICT (day, phrase) DO UPDATE SET searches = {table}.searches + 1, results = excluded.results",
            [timezone.localdate(), phrase, results],
        )


def record_again(phrase: str) -> None:
    """Count a search answered with a page kept from an earlier one (so with the same results)."""
    if not phrase:
        return
    day = timezone.localdate()
    if SearchLogEntry.objects.filter(day=day, phrase=phrase).update(searches=F("searches") + 1):
        return
    # The page was kept on an earlier day, under the same public state: its count still holds.
    results = SearchLogEntry.objects.filter(phrase=phrase).order_by("-day").values_list("results", flat=True).first()
    if results is not None:
        record(phrase, results=results)
