"""Test settings: the base settings with fast hashing and a throwaway media folder."""

import tempfile
from pathlib import Path

from portal.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
