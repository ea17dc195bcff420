"""The address a request came from, as far as the portal can trust it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the entry ``TRUSTED_PROXY_COUNT`` proxies back in X-Forwarded-For.

    Only entries appended by our own proxies are trusted: anything to their left was
    written by the client and could name any address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None
