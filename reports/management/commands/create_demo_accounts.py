"""Create the demo staff accounts: a clerk and an editor of 磐东街道, an auditor, and a 督察员 of 揭东区.

They are marked as demo accounts (``accounts.DemoAccount``), which sign in only while
DEBUG is on: a database filled in demo mode and later run in production keeps them out.
Passwords come from DEMO_CLERK_PASSWORD, DEMO_EDITOR_PASSWORD and DEMO_AUDITOR_PASSWORD
when set; otherwise they are generated once and kept in ``var/demo_accounts.json``
(git-ignored), so running the command again gives the same logins.
"""

import json
import os
import secrets
import string

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import DemoAccount
from reports.models import Organization
from reports.roles import AUDITOR_GROUP, CLERK_GROUP, EDITOR_GROUP, INSPECTOR_GROUP

DEMO_ORGANIZATION = "pandong"
PASSWORD_FILE = "demo_accounts.json"  # noqa: S105 (a file name, not a password)
PASSWORD_LENGTH = 16
SYMBOLS = "!#%+-=?@^_"

# username, display name, group, how the account relates to the demo organization
ACCOUNTS = [
    ("clerk", "磐东街道起草人（演示）", CLERK_GROUP, "clerks"),
    ("editor", "揭东区审核人（演示）", EDITOR_GROUP, "editors"),
    ("auditor", "审计员（演示）", AUDITOR_GROUP, None),
    # Attached to the district (磐东街道's superior): follows every unit under it.
    ("inspector", "依法治区办督察员（演示）", INSPECTOR_GROUP, "inspectors"),
]


class Command(BaseCommand):
    help = "创建演示账号 clerk（起草人）、editor（审核人）、auditor（审计员）、inspector（督察员），并打印其密码。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭（生产）时也创建。")

    def handle(self, *args, force: bool, **options):
        if not settings.DEMO_MODE and not force:
            raise CommandError(_("DEBUG 已关闭（生产环境），拒绝创建演示账号；确需创建请加 --force。"))
        organization = Organization.objects.filter(slug=DEMO_ORGANIZATION).first()
        if organization is None:
            raise CommandError(_("没有找到磐东街道，请先运行 load_demo_data。"))
        stored = _read_passwords()
        passwords = {}
        with transaction.atomic():
            for username, name, group, membership in ACCOUNTS:
                password = os.environ.get(f"DEMO_{username.upper()}_PASSWORD") or stored.get(username)
                if password is None and get_user_model().objects.filter(username=username).exists():
                    # Not one this command made (or var/ was lost): never reset someone's password.
                    raise CommandError(
                        _(
                            "用户 %(username)s 已存在，但 %(path)s 中没有它的密码。为免改掉他人账号的密码，"
                            "请设置 DEMO_%(variable)s_PASSWORD 后重试。"
                        )
                        % {"username": username, "path": _password_path(), "variable": username.upper()}
                    )
                user = _ensure_user(username, name, group)
                password = password or _generate_password()
                try:
                    validate_password(password, user)
                except ValidationError as error:
                    raise CommandError(
                        _("演示账号 %(username)s 的密码不符合密码规则：%(reasons)s")
                        % {"username": username, "reasons": " ".join(error.messages)}
                    ) from None
                user.set_password(password)
                user.save()
                if membership == "inspectors":
                    getattr(organization.parent or organization, membership).add(user)
                elif membership:
                    getattr(organization, membership).add(user)
                passwords[username] = password
        _write_passwords(passwords)
        for username, password in passwords.items():
            self.stdout.write(f"{username}\t{password}")
        self.stdout.write(_("密码保存在 %(path)s。") % {"path": _password_path()})


def _ensure_user(username: str, name: str, group: str):
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name, "is_staff": True}
    )
    user.is_staff = True
    user.is_active = True
    user.groups.add(Group.objects.get(name=group))
    DemoAccount.objects.get_or_create(user=user)
    return user


def _generate_password() -> str:
    """A random password that holds every character class, so any class rule accepts it."""
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, SYMBOLS]
    characters = [secrets.choice(chars) for chars in classes]
    alphabet = "".join(classes)
    characters += [secrets.choice(alphabet) for _position in range(PASSWORD_LENGTH - len(characters))]
    secrets.SystemRandom().shuffle(characters)
    return "".join(characters)


def _password_path():
    return settings.VAR_DIR / PASSWORD_FILE


def _read_passwords() -> dict[str, str]:
    try:
        return json.loads(_password_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as error:
        raise CommandError(
            _("无法读取 %(path)s（%(error)s），请删除该文件后重试。") % {"path": _password_path(), "error": error}
        ) from None


def _write_passwords(passwords: dict[str, str]) -> None:
    path = _password_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only from the moment the file exists: it holds working passwords.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        json.dump(passwords, stream, ensure_ascii=False, indent=2)
