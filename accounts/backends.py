"""Who may sign in: the lockout check before the password check, then the password and account checks."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from accounts.models import DemoAccount


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for sign-ins made through a web request.

    Sign-ins without a request (the test client's ``login()``, management commands) have
    no client address to lock out, so they go straight to the password check instead of
    raising, as axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class AccountBackend(ModelBackend):
    """Django's password backend, refusing demo accounts when the portal runs in production.

    Django asks ``user_can_authenticate`` at sign-in and again for every request of an
    existing session, so a demo session started before the switch ends too.
    """

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return settings.DEMO_MODE or not DemoAccount.objects.filter(user=user.pk).exists()
