"""Who must pass a second factor (TOTP) to use the back office."""

from django.conf import settings


def requires_second_factor(user) -> bool:
    """Editors and superusers, when ``REQUIRE_2FA_FOR_STAFF`` is on (等保 2.0 level 3 asks it of administrators)."""
    if not settings.REQUIRE_2FA_FOR_STAFF or not user.is_authenticated:
        return False
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.has_perm("reports.review_report")
