"""How a person is named on every screen and in every message: the display name, else the username."""

from django.utils.translation import gettext as _


def person_name(user) -> str:
    """The name staff know a colleague by; ``None`` (a command run on the server) is 系统."""
    if user is None:
        return _("系统")
    return user.get_full_name() or user.get_username()
