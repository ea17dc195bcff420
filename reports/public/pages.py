"""Which public pages may be kept whole, and under which facts (see ``reports.public.middleware``)."""

from django.utils import timezone

from reports.models import public_state
from reports.public.preferences import reader_preferences


def public_page(view=None, *, daily: bool = False, on_replay=None):
    """Mark a view as a public page: the same for every reader with the same preferences.

    Such a page's response may be kept and replayed while ``public_state()`` is unchanged;
    a ``daily`` page (one that counts days, such as days overdue) also changes at midnight
    in the site's time zone. ``on_replay(request)``, if given, runs when a kept response answers
    instead of the view (the search log counts those searches too). Use as ``@public_page`` or
    ``@public_page(daily=True)``.
    """
    if view is None:
        return lambda view: public_page(view, daily=daily, on_replay=on_replay)
    view.is_public_page = True
    view.changes_daily = daily
    view.on_replay = on_replay
    return view


def page_facts(request, state: tuple, *, daily: bool = False) -> tuple:
    """Everything a public page's HTML depends on besides the database: the address with its
    query, the reader's preferences, the scheme and host, the public state, and for a daily
    page the date."""
    return (
        request.get_full_path(),
        reader_preferences(request),
        request.scheme,
        request.get_host(),
        state,
        timezone.localdate().isoformat() if daily else None,
    )


def public_state_of(request) -> tuple:
    """The public state as read for this request by the middleware, or now."""
    return getattr(request, "public_state", None) or public_state()
