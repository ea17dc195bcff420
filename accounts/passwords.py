"""Password rules beyond Django's own, and the optional maximum password age."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Lower-case letters, upper-case letters, digits, symbols.
CHARACTER_CLASSES = (str.islower, str.isupper, str.isdigit, lambda char: not char.isalnum())


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, symbols (等保 2.0)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = sum(1 for test in CHARACTER_CLASSES if any(test(char) for char in password))
        if used < self.min_classes:
            raise ValidationError(
                _("密码必须包含小写字母、大写字母、数字和符号中的至少 %(count)d 类。"),
                code="password_too_simple",
                params={"count": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("密码必须包含小写字母、大写字母、数字和符号中的至少 %(count)d 类。") % {"count": self.min_classes}


def password_changed_at(user):
    """When the user last set a password: the latest audit record, else when the account was made."""
    from accounts.models import AuthEvent, AuthEventKind

    latest = (
        AuthEvent.objects.filter(user_id=user.pk, kind=AuthEventKind.PASSWORD_CHANGE)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return latest or user.date_joined


def password_expired(user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.is_authenticated:
        return False
    return timezone.now() - password_changed_at(user) > timedelta(days=days)
