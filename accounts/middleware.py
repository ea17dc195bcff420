"""Back-office guards that run on every request: audit context, second factor, password age."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.audit import current_request
from accounts.passwords import password_expired
from accounts.two_factor import requires_second_factor


def _admin_prefix() -> str:
    return f"/{settings.ADMIN_PATH}/"


class AuditContextMiddleware:
    """Make the current request available to the audit receivers (who did it, from where)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class SecondFactorMiddleware:
    """Until an editor or superuser passes the second factor, the session opens only the second-factor page.

    In the admin such a user is sent to that page; anywhere else (previews, public
    pages) the request is treated as anonymous, so no staff-only view trusts a
    password-only session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, no user to check: reading request.user would load the session and
            # mark the response "Vary: Cookie", so no public page could be shared.
            return self.get_response(request)
        user = request.user
        if requires_second_factor(user) and not user.is_verified():
            allowed = {reverse("accounts:second_factor"), reverse("admin:logout")}
            if request.path_info.startswith(_admin_prefix()):
                if request.path_info not in allowed:
                    return redirect(
                        f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}"
                    )
            else:
                request.user = AnonymousUser()
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """With ``PASSWORD_MAX_AGE_DAYS`` set, staff whose password is older must change it before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PASSWORD_MAX_AGE_DAYS
            and request.path_info.startswith(_admin_prefix())
            and request.user.is_authenticated
        ):
            allowed = {
                reverse("admin:password_change"),
                reverse("admin:password_change_done"),
                reverse("admin:logout"),
                reverse("accounts:second_factor"),
            }
            if request.path_info not in allowed and password_expired(request.user):
                messages.warning(
                    request,
                    _("您的密码已使用超过 %(days)d 天，请先修改密码。") % {"days": settings.PASSWORD_MAX_AGE_DAYS},
                )
                return redirect("admin:password_change")
        return self.get_response(request)
