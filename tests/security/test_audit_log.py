"""The security audit log: every sign-in, failure, sign-out, lockout and permission change, kept and read-only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import AuthEvent, AuthEventKind
from reports.roles import EDITOR_GROUP
from tests import factories
from tests.factories import PASSWORD, sign_in


def events(kind, **filters):
    return AuthEvent.objects.filter(kind=kind, **filters)


@pytest.mark.django_db
def test_sign_in_failure_and_sign_out_are_recorded_with_address(client):
    user = factories.make_user()
    sign_in(client, user.username, "wrong-password", ip="198.51.100.20")
    sign_in(client, user.username, PASSWORD, ip="198.51.100.21")
    client.post(reverse("admin:logout"), REMOTE_ADDR="198.51.100.21")

    failed = events(AuthEventKind.LOGIN_FAILED).get()
    assert (failed.username, failed.ip_address) == (user.username, "198.51.100.20")
    login = events(AuthEventKind.LOGIN).get()
    assert (login.user, login.ip_address) == (user, "198.51.100.21")
    assert events(AuthEventKind.LOGOUT, user=user).count() == 1


@pytest.mark.django_db
def test_failed_sign_in_with_an_unknown_name_is_recorded_as_typed(client):
    sign_in(client, "no-such-user", "whatever")
    assert events(AuthEventKind.LOGIN_FAILED, username="no-such-user", user=None).exists()


@pytest.mark.django_db
def test_lockout_is_recorded(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = factories.make_user()
    for _ in range(2):
        sign_in(client, user.username, "wrong-password", ip="192.0.2.5")
    lockout = events(AuthEventKind.LOCKOUT).get()
    assert lockout.username == user.username
    assert lockout.ip_address == "192.0.2.5"


@pytest.mark.django_db
def test_the_client_address_behind_a_trusted_proxy_is_the_one_it_appended(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = factories.make_user()
    client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "wrong-password"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.50",  # the first entry is the client's own claim
    )
    assert events(AuthEventKind.LOGIN_FAILED).get().ip_address == "203.0.113.50"


@pytest.mark.django_db
def test_group_membership_changed_in_the_admin_is_recorded_with_who_did_it(client):
    superuser = factories.make_user(is_superuser=True)
    clerk = factories.make_user()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_change", args=[clerk.pk]),
        {
            "username": clerk.username,
            "email": clerk.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name=EDITOR_GROUP).pk],
            "date_joined_0": "2020-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    changes = events(AuthEventKind.PERMISSION_CHANGE, user=clerk, actor=superuser)
    details = " | ".join(changes.values_list("detail", flat=True))
    assert f"groups + “{EDITOR_GROUP}”" in details
    assert "is_superuser: False -> True" in details


@pytest.mark.django_db
def test_permission_and_organization_changes_are_recorded():
    user = factories.make_user()
    organization = factories.make_organization()
    user.user_permissions.add(Permission.objects.get(codename="review_all_organizations"))
    organization.editors.add(user)
    organization.clerks.add(user)
    user.clerk_organizations.clear()
    Group.objects.get(name=EDITOR_GROUP).permissions.remove(Permission.objects.get(codename="review_report"))

    details = list(events(AuthEventKind.PERMISSION_CHANGE).values_list("detail", flat=True))
    assert any("user_permissions +" in detail and "可审核所有单位的报告" in detail for detail in details)
    assert any(f"editors + “{user.username}”" in detail for detail in details)
    assert any(f"clerks - “{user.username}”" in detail for detail in details)
    assert any(f"group “{EDITOR_GROUP}” permissions -" in detail for detail in details)


@pytest.mark.django_db
def test_password_change_is_recorded():
    user = factories.make_user()
    user.set_password("Fazhi-2020-xinmima")
    user.save()
    user.first_name = "改名不算改密码"
    user.save()
    assert events(AuthEventKind.PASSWORD_CHANGE, user=user).count() == 1


@pytest.mark.django_db
def test_the_log_cannot_be_altered_or_deleted():
    user = factories.make_user()
    event = AuthEvent.objects.filter(user=user).first()
    event.detail = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuthEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuthEvent.objects.update(detail="")


@pytest.mark.django_db
def test_the_log_outlives_the_account_it_is_about():
    user = factories.make_user()
    user_id = user.pk
    user.delete()
    assert AuthEvent.objects.filter(user_id=user_id).exists()


@pytest.mark.django_db
def test_auditors_read_the_log_in_the_admin_but_cannot_change_it(client):
    factories.make_user(username="someone")
    client.force_login(factories.make_auditor())
    listing = client.get(reverse("admin:accounts_authevent_changelist"))
    assert listing.status_code == 200
    assert "someone" in listing.content.decode()
    event = AuthEvent.objects.first()
    assert client.get(reverse("admin:accounts_authevent_add")).status_code == 403
    assert client.post(reverse("admin:accounts_authevent_delete", args=[event.pk])).status_code == 403
    assert client.post(reverse("admin:accounts_authevent_change", args=[event.pk]), {"detail": "x"}).status_code == 403
    assert AuthEvent.objects.get(pk=event.pk).detail == event.detail


@pytest.mark.django_db
def test_superusers_cannot_delete_log_entries_either(client):
    client.force_login(factories.make_user(is_superuser=True))
    event = AuthEvent.objects.first()
    assert client.post(reverse("admin:accounts_authevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuthEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("role", ["clerk", "editor"])
@pytest.mark.django_db
def test_clerks_and_editors_cannot_read_the_log(client, role):
    organization = factories.make_organization()
    user = factories.make_clerk(organization) if role == "clerk" else factories.make_editor(organization)
    client.force_login(user)
    assert client.get(reverse("admin:accounts_authevent_changelist")).status_code == 403
