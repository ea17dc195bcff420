import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reports.models import Item, Organization, Report, Revision, Section, WorkflowEvent
from reports.roles import (
    AUDITOR_GROUP,
    CLERK_GROUP,
    EDITOR_GROUP,
    can_draft_for,
    inspected_organizations,
    is_editor_for,
)
from tests import seed

User = get_user_model()


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path / "var"
    return settings


def row_counts():
    return [model.objects.count() for model in (Organization, User, Report, Section, Item, Revision, WorkflowEvent)]


# --- load_demo_data ----------------------------------------------------------------------


def test_load_demo_data_twice_neither_fails_nor_duplicates(db, demo_settings, capsys):
    call_command("load_demo_data")
    first = row_counts()
    call_command("load_demo_data")

    assert row_counts() == first
    # 揭东区, 磐东街道, eleven duty demo units and 示范街道; the fixtures' people and the duty demo's two.
    assert first[:3] == [14, 6, 16]
    assert "0002_pandong_2019.json：新增 0 条，已存在 22 条。" in capsys.readouterr().out


@pytest.mark.slow
def test_followthrough_fixture_is_what_its_build_script_makes():
    script = settings.BASE_DIR / "fixtures" / "build_followthrough_fixture.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_load_demo_data_keeps_later_changes_to_the_demo(db, demo_settings):
    call_command("load_demo_data")
    Organization.objects.filter(slug="pandong").update(sign_off_names="磐东街道办事处")

    call_command("load_demo_data")

    assert Organization.objects.get(slug="pandong").sign_off_names == "磐东街道办事处"


def test_load_demo_data_refuses_with_debug_off(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo_data")
    assert not Organization.objects.exists()


def test_load_demo_data_with_force_loads_with_debug_off(db, settings):
    settings.DEMO_MODE = False
    call_command("load_demo_data", "--force")
    assert Report.objects.filter(organization__slug="pandong").exists()


def test_load_demo_data_refuses_to_overwrite_a_different_row(db, demo_settings):
    Organization.objects.create(pk=9002, name="别的街道", slug="other", code="X1")

    with pytest.raises(CommandError, match="已被其他数据占用"):
        call_command("load_demo_data")
    assert Organization.objects.get(pk=9002).name == "别的街道"
    assert not Report.objects.exists()


def test_load_demo_data_refuses_a_clashing_organization(db, demo_settings):
    Organization.objects.create(name="磐东街道", slug="pandong-old", code="X2")

    with pytest.raises(CommandError, match="冲突"):
        call_command("load_demo_data")
    assert Organization.objects.count() == 1


# --- create_demo_accounts -------------------------------------------------------------------


@pytest.fixture
def demo_data(db, demo_settings):
    """The demo's organizations and 磐东 report: all the accounts need (the duty demo is tested above)."""
    seed.load_seed_fixture()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(line.split("\t") for line in output.splitlines() if "\t" in line)


def test_create_demo_accounts_makes_a_clerk_an_editor_and_an_auditor(demo_data):
    call_command("create_demo_accounts")

    pandong = Organization.objects.get(slug="pandong")
    clerk, editor, auditor = (User.objects.get(username=name) for name in ("clerk", "editor", "auditor"))
    assert clerk.groups.filter(name=CLERK_GROUP).exists()
    assert editor.groups.filter(name=EDITOR_GROUP).exists()
    assert auditor.groups.filter(name=AUDITOR_GROUP).exists()
    assert can_draft_for(clerk, pandong)
    assert is_editor_for(editor, pandong)
    assert not can_draft_for(auditor, pandong)
    inspector = User.objects.get(username="inspector")
    assert pandong in inspected_organizations(inspector) and not can_draft_for(inspector, pandong)


def test_create_demo_accounts_twice_reuses_the_passwords(demo_data, demo_settings, capsys):
    call_command("create_demo_accounts")
    first = printed_passwords(capsys.readouterr().out)
    call_command("create_demo_accounts")
    second = printed_passwords(capsys.readouterr().out)

    assert set(first) == {"clerk", "editor", "auditor", "inspector"}
    assert second == first
    assert User.objects.filter(username__in=first).count() == 4
    stored = json.loads((demo_settings.VAR_DIR / "demo_accounts.json").read_text(encoding="utf-8"))
    assert stored == first
    assert (demo_settings.VAR_DIR / "demo_accounts.json").stat().st_mode & 0o077 == 0


def test_demo_accounts_can_sign_in_to_the_admin(client, demo_data, capsys):
    call_command("create_demo_accounts")
    passwords = printed_passwords(capsys.readouterr().out)

    for username, password in passwords.items():
        response = client.post(reverse("admin:login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
        client.logout()


def test_generated_passwords_satisfy_the_password_rules(demo_data, capsys):
    call_command("create_demo_accounts")
    for username, password in printed_passwords(capsys.readouterr().out).items():
        validate_password(password, User.objects.get(username=username))


def test_passwords_from_the_environment_win(demo_data, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_CLERK_PASSWORD", "Pandong-demo-2019")
    call_command("create_demo_accounts")
    assert printed_passwords(capsys.readouterr().out)["clerk"] == "Pandong-demo-2019"


def test_a_weak_password_from_the_environment_is_refused(demo_data, monkeypatch):
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "12345")
    with pytest.raises(CommandError, match="密码规则"):
        call_command("create_demo_accounts")
    assert not User.objects.filter(username__in=["clerk", "editor", "auditor"]).exists()


def test_create_demo_accounts_refuses_with_debug_off(demo_data, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="--force"):
        call_command("create_demo_accounts")


def test_create_demo_accounts_needs_the_demo_organization(db, demo_settings):
    with pytest.raises(CommandError, match="load_demo_data"):
        call_command("create_demo_accounts")


def test_an_existing_account_of_the_same_name_is_not_taken_over(demo_data):
    existing = User.objects.create_user(username="editor", password="Someone-elses-42")

    with pytest.raises(CommandError, match="DEMO_EDITOR_PASSWORD"):
        call_command("create_demo_accounts")
    existing.refresh_from_db()
    assert existing.check_password("Someone-elses-42")
