"""Deployment checks of the sign-in protections (``manage.py check --deploy --database default``)."""

from datetime import timedelta

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

from accounts.models import AuthEvent

# Sign-ins this recent tell how requests reach the portal now.
RECENT = timedelta(days=30)


@register(Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, databases=None, **kwargs):
    """Warn when sign-ins come through a proxy that the lockout and the audit log do not see past.

    With ``TRUSTED_PROXY_COUNT`` 0 behind nginx every client has nginx's address, so five
    failed sign-ins by anyone lock the whole back office out. Whether sign-ins carried
    X-Forwarded-For is read from the audit log, so the check needs the database.
    """
    if settings.TRUSTED_PROXY_COUNT > 0 or not databases or "default" not in databases:
        return []
    try:
        proxied = AuthEvent.objects.filter(created_at__gte=timezone.now() - RECENT).exclude(forwarded_for="").exists()
    except DatabaseError:
        return []  # not migrated yet: nothing has signed in
    if not proxied:
        return []
    return [
        Warning(
            "Recent sign-ins arrived with an X-Forwarded-For header while TRUSTED_PROXY_COUNT is 0: lockouts and "
            "the audit log see the proxy's address for every client, so a few failed sign-ins lock everyone out.",
            hint="Behind the documented nginx set TRUSTED_PROXY_COUNT=1 (the number of proxies in front of gunicorn). "
            "Without a proxy, clients are sending the header themselves; then silence accounts.W001.",
            id="accounts.W001",
        )
    ]
