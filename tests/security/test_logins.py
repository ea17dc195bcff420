"""Signing in to the back office: lockouts, password rules, the second factor, idle sessions."""

import importlib
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuthEvent, AuthEventKind, DemoAccount
from tests import factories, seed
from tests.factories import PASSWORD, sign_in


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def clock(monkeypatch):
    """Move Django's clock forward; sessions read it through django.utils.timezone.now."""
    real_now = timezone.now
    offset = [timedelta(0)]
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset[0])

    def advance(**delta):
        offset[0] += timedelta(**delta)

    return advance


# --- Lockout ------------------------------------------------------------------


@pytest.mark.django_db
def test_account_is_locked_after_repeated_failures_even_from_new_addresses(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = factories.make_user()
    for n in range(2):
        assert sign_in(client, user.username, "wrong-password", ip=f"198.51.100.{n}").status_code == 200
    locked = sign_in(client, user.username, "wrong-password", ip="198.51.100.2")
    assert locked.status_code == 429
    assert "登录已被暂时锁定" in locked.content.decode()

    # The right password from yet another address does not get in while locked.
    assert sign_in(client, user.username, ip="203.0.113.9").status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_address_is_locked_after_failures_on_different_accounts(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    victims = [factories.make_user() for _ in range(3)]
    for victim in victims:
        sign_in(client, victim.username, "wrong-password", ip="192.0.2.66")
    bystander = factories.make_user()
    assert sign_in(client, bystander.username, ip="192.0.2.66").status_code == 429
    assert sign_in(client, bystander.username, ip="192.0.2.67").status_code == 302


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = factories.make_user()
    for _ in range(2):
        sign_in(client, user.username, "wrong-password")
    assert sign_in(client, user.username).status_code == 302


@pytest.mark.django_db
def test_lockouts_are_visible_to_superusers_only(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    target = factories.make_user(username="locked-clerk")
    for _ in range(2):
        sign_in(client, target.username, "wrong-password")
    assert AccessAttempt.objects.filter(username="locked-clerk").exists()

    client.force_login(factories.make_user(is_superuser=True))
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "locked-clerk" in page.content.decode()

    client.force_login(factories.make_editor(factories.make_organization()))
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


# --- Password rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Ab1!xyz", "shorter than 10 characters"),
        ("abcdefghij", "one character class"),
        ("abcdefgh12", "two character classes"),
        ("ABCDEFGH!!", "two character classes"),
        ("1234567890", "all digits"),
        ("Password123", "common password"),
        ("Wangxiaoming-1", "like the user's name"),
    ],
)
@pytest.mark.django_db
def test_weak_passwords_are_refused(password, why):
    user = factories.make_user(username="wangxiaoming", first_name="Xiaoming")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.parametrize("password", ["Fazhi-2019-baogao", "jiedong#2019zf", "ZHENGFU2019baogao", "政府Jd2019!报告x"])
@pytest.mark.django_db
def test_passwords_with_ten_characters_of_three_classes_are_accepted(password):
    validate_password(password, factories.make_user(username="clerk-a"))


@pytest.mark.django_db
def test_the_character_class_rule_speaks_chinese():
    with pytest.raises(ValidationError) as refusal:
        validate_password("abcdefgh12xyz", factories.make_user())
    assert "至少 3 类" in " ".join(refusal.value.messages)


# --- Maximum password age -----------------------------------------------------------


@pytest.mark.django_db
def test_an_expired_password_must_be_changed_before_anything_else(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = factories.make_user(is_superuser=True)
    user.date_joined = timezone.now() - timedelta(days=91)
    user.save()
    client.force_login(user)

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("admin:password_change")

    changed = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fazhi-2020-xinmima", "new_password2": "Fazhi-2020-xinmima"},
    )
    assert changed.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_a_recent_password_or_no_age_limit_lets_staff_in(client, settings):
    user = factories.make_user(is_superuser=True)
    user.date_joined = timezone.now() - timedelta(days=400)
    user.save()
    client.force_login(user)
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert client.get(reverse("admin:index")).status_code == 200

    settings.PASSWORD_MAX_AGE_DAYS = 90
    user.set_password("Fazhi-2020-xinmima")
    user.save()
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200


# --- Second factor --------------------------------------------------------------------


@pytest.fixture
def two_factor_on(settings):
    settings.REQUIRE_2FA_FOR_STAFF = True


@pytest.mark.django_db
def test_editor_enrols_an_authenticator_then_gets_in(client, two_factor_on, clock):
    editor = factories.make_editor(factories.make_organization())
    assert sign_in(client, editor.username).status_code == 302

    index = client.get(reverse("admin:index"))
    assert index.status_code == 302
    assert index.url.startswith(reverse("accounts:second_factor"))
    setup = client.get(index.url)
    assert setup.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in setup.content.decode()

    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    wrong = client.post(
        reverse("accounts:second_factor"), {"token": "000000" if current_token(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "动态验证码不正确" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    clock(seconds=2)  # after a wrong code django-otp refuses every code for a second
    done = client.post(
        reverse("accounts:second_factor"), {"token": current_token(device), "next": reverse("admin:index")}
    )
    assert done.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    kinds = set(AuthEvent.objects.filter(user=editor).values_list("kind", flat=True))
    assert {
        AuthEventKind.SECOND_FACTOR_ENROLLED,
        AuthEventKind.SECOND_FACTOR,
        AuthEventKind.SECOND_FACTOR_FAILED,
    } <= kinds


@pytest.mark.django_db
def test_enrolled_superuser_must_enter_a_code_after_the_password(client, two_factor_on):
    superuser = factories.make_user(is_superuser=True)
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    sign_in(client, superuser.username)
    page = client.get(reverse("accounts:second_factor"))
    assert "data:image/svg+xml" not in page.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    client.post(reverse("accounts:second_factor"), {"token": current_token(device)})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_password_only_session_of_an_editor_is_anonymous_outside_the_admin(client, settings, two_factor_on):
    editor = factories.make_editor(factories.make_organization())
    report = factories.make_report(organization=editor.editor_organizations.get())
    url = reverse("reports:preview", kwargs={"pk": report.pk})
    sign_in(client, editor.username)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

    settings.REQUIRE_2FA_FOR_STAFF = False
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_clerks_need_no_second_factor(client, two_factor_on):
    clerk = factories.make_clerk(factories.make_organization())
    sign_in(client, clerk.username)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_with_the_setting_off_editors_sign_in_with_a_password(client, settings):
    settings.REQUIRE_2FA_FOR_STAFF = False
    editor = factories.make_editor(factories.make_organization())
    sign_in(client, editor.username)
    assert client.get(reverse("admin:index")).status_code == 200


# --- Idle sessions ---------------------------------------------------------------


@pytest.mark.django_db
def test_admin_session_ends_after_thirty_idle_minutes(client, clock):
    sign_in(client, factories.make_user(is_superuser=True).username)
    assert client.get(reverse("admin:index")).status_code == 200
    clock(minutes=31)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_activity_keeps_the_admin_session_alive(client, clock):
    sign_in(client, factories.make_user(is_superuser=True).username)
    for _ in range(3):
        clock(minutes=20)
        assert client.get(reverse("admin:index")).status_code == 200


# --- Where a sign-in lands ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_a_sign_in_with_an_unusable_next_address_lands_on_the_admin_home(client, next_url):
    user = factories.make_clerk(factories.make_organization())
    response = client.post(
        f"{reverse('admin:login')}?next={next_url}", {"username": user.username, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


# --- Demo accounts in production ----------------------------------------------------------


@pytest.fixture
def demo_passwords(db, settings, tmp_path, capsys):
    """The demo accounts, made as `make run` makes them (demo mode), with their passwords."""
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    seed.load_seed_fixture()  # the demo's organizations and report, all the accounts need
    call_command("create_demo_accounts")
    return dict(line.split("\t") for line in capsys.readouterr().out.splitlines() if "\t" in line)


def test_demo_accounts_are_refused_at_sign_in_once_debug_is_off(client, settings, demo_passwords):
    settings.DEMO_MODE = False
    for username, password in demo_passwords.items():
        response = sign_in(client, username, password)
        assert response.status_code == 200, username
        assert "_auth_user_id" not in client.session


def test_a_demo_session_opened_in_demo_mode_ends_once_debug_is_off(client, settings, demo_passwords):
    assert sign_in(client, "clerk", demo_passwords["clerk"]).status_code == 302
    settings.DEMO_MODE = False
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_other_accounts_named_like_demo_ones_still_sign_in_in_production(client, settings):
    settings.DEMO_MODE = False
    factories.make_clerk(factories.make_organization(), username="clerk")
    assert sign_in(client, "clerk").status_code == 302


@pytest.mark.django_db
def test_demo_accounts_made_before_the_marker_existed_are_marked_by_the_migration():
    migration = importlib.import_module("accounts.migrations.0003_demo_account")
    made_earlier = factories.make_user(username="editor", first_name="揭东区审核人（演示）")
    real = factories.make_user(username="auditor", first_name="王审计")

    migration.mark_existing_demo_accounts(apps, schema_editor=None)

    assert list(DemoAccount.objects.values_list("user", flat=True)) == [made_earlier.pk]
    assert real.pk not in DemoAccount.objects.values_list("user", flat=True)


# --- Behind a proxy ----------------------------------------------------------------------


def deploy_warnings() -> list[str]:
    return [message.id for message in run_checks(include_deployment_checks=True, databases=["default"])]


@pytest.mark.django_db
def test_the_deploy_check_warns_when_sign_ins_come_through_a_proxy_it_does_not_trust(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = factories.make_clerk(factories.make_organization())
    assert "accounts.W001" not in deploy_warnings()

    client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert AuthEvent.objects.get(kind=AuthEventKind.LOGIN).forwarded_for == "203.0.113.9"
    assert "accounts.W001" in deploy_warnings()
    settings.TRUSTED_PROXY_COUNT = 1
    assert "accounts.W001" not in deploy_warnings()
