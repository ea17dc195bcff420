"""Which public pages may be kept whole, and under which facts (see ``reports.public.middleware``)."""

from reports.models import public_state
from reports.public.preferences import reader_preferences


def public_page(view=None, *, on_replay=None):
    """Mark a view as a public page: the same for every reader with the same preferences.

    Such a page's response may be kept and replayed while ``public_state()`` is unchanged.
    ``on_replay(request)``, if given, runs when a kept response answers instead of the view
    (the search log counts those searches too).
    """

    def mark(view):
        view.is_public_page = True
        view.on_replay = on_replay
        return view

    return mark(view) if view is not None else mark


def page_facts(request, state: tuple) -> tuple:
    """Everything a public page's HTML depends on besides the database: the address with its
    query, the reader's preferences, the scheme and host, and the public state."""
    return (
        request.get_full_path(),
        reader_preferences(request),
        request.scheme,
        request.get_host(),
        state,
    )


def public_state_of(request) -> tuple:
    """The public state as read for this request by the middleware, or now."""
    return getattr(request, "public_state", None) or public_state()
