"""Which public pages may be kept whole, and under which facts (see ``reports.public.middleware``)."""

from reports.models import public_state
from reports.public.archive import last_due_year
from reports.public.preferences import reader_preferences


def public_page(view):
    """Mark a view as a public page: the same for every reader with the same preferences.

    Such a page's response may be kept and replayed while ``public_state()`` is unchanged.
    """
    view.is_public_page = True
    return view


def page_facts(request, state: tuple) -> tuple:
    """Everything a public page's HTML depends on besides the database: the address with its
    query, the reader's preferences, the scheme and host, the public state, and the latest
    report year already due (a unit's archive marks the years it owed; that changes on 2 April)."""
    return (
        request.get_full_path(),
        reader_preferences(request),
        request.scheme,
        request.get_host(),
        state,
        last_due_year(),
    )


def current_facts(request) -> tuple:
    """``page_facts`` with the public state read now (one query)."""
    return page_facts(request, public_state())
