"""The lockout check that runs before the password check."""

from axes.backends import AxesStandaloneBackend


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
