"""Every staff address the project adds, for every role: who gets the page, who is refused.

The addresses come from the admin's own URL patterns (the model admins of the reports,
accounts and auth apps, with every mixin's extra views) plus the staff preview, so a view
added later is walked automatically, and fails here until the table says who may open it.

Outcomes: "ok" is 200; "login" is a redirect to the admin sign-in page (anonymous
visitors); "refused" is 403, 404, 405 or a redirect back elsewhere without the page. A GET
never changes anything, which the last test checks.
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, reverse

from accounts.models import AuthEvent
from reports import services
from reports.checking.models import WordListChange, WordListEntry
from reports.checking.review import review
from reports.models import (
    Attachment,
    Correction,
    Milestone,
    Organization,
    Reminder,
    ReminderKind,
    Report,
    Revision,
    SearchLogEntry,
    SynonymGroup,
    WorkflowEvent,
)
from reports.roles import EDITOR_GROUP
from tests import factories

ROLES = ["anonymous", "clerk", "other_clerk", "editor", "other_editor", "auditor", "superuser", "inspector"]
APPS = {"reports", "accounts", "auth"}
ALL_STAFF = {"clerk", "other_clerk", "editor", "other_editor", "auditor", "superuser", "inspector"}
OWN = {"clerk", "editor", "auditor", "superuser", "inspector"}  # who sees organization A's (submitted) reports
DRAFTERS = {"clerk", "other_clerk", "editor", "other_editor", "superuser"}
REVIEWERS = {"editor", "other_editor", "auditor", "superuser", "inspector"}  # view_organization
REMINDER_READERS = {"auditor", "superuser", "inspector"}  # view_reminder: inspectors of the unit
WORDLIST_READERS = REVIEWERS - {"inspector"}  # editors keep the lists, auditors read them
CORRECTION_READERS = {"editor", "auditor", "superuser"}  # a unit's corrections: its editors, and auditors
SUPERUSER = {"superuser"}
EDITORS = {"editor", "other_editor", "superuser"}  # review_report: any unit's editors
SEARCH_READERS = REVIEWERS - {"inspector"}  # editors keep the synonyms, auditors read them and the log
NOBODY: set[str] = set()

# Who gets each page ("ok"); every other role is sent to sign in (anonymous) or refused.
EXPECTED_OK = {
    "reports_report_changelist": ALL_STAFF,
    "reports_report_add": DRAFTERS,
    "reports_report_import": DRAFTERS,
    "reports_report_import_preview": NOBODY,  # POST only, from the import form (tests/reports/importing)
    "reports_report_change": OWN,
    "reports_report_delete": NOBODY,  # reports are withdrawn, never deleted
    "reports_report_attachment": OWN,  # staff read attachments before publication
    "reports_report_export": ALL_STAFF,  # of the reports each may see (tests/reports/test_admin_list.py)
    "reports_report_history": OWN,
    "reports_report_history_revision": OWN,
    "reports_report_history_compare": OWN,
    "reports_report_history_public_at": OWN,
    "reports_report_history_export": OWN,
    "reports_report_history_restore": {"editor", "superuser"},  # restoring is an editor's decision
    "reports_report_plan_review": OWN,  # read by all who see the report; saved only by who may edit it
    "reports_report_plan_review_shortcomings": NOBODY,  # POST only, from the plan review page
    "reports_report_workflow:submit": {"clerk", "editor", "superuser"},
    "reports_report_workflow:return": {"editor", "superuser"},
    "reports_report_workflow:approve": {"editor", "superuser"},
    "reports_report_workflow:publish": {"editor", "superuser"},
    "reports_report_workflow:schedule": {"editor", "superuser"},
    "reports_report_workflow:withdraw": {"editor", "superuser"},
    # The pre-publication checks: the report's drafters ignore warnings, editors (not the submitter) override.
    "reports_report_checks_ignore": {"clerk", "editor", "superuser"},
    "reports_report_checks_override": {"editor", "superuser"},
    "reports_report_workflow:report_upward": {"editor", "superuser"},
    "reports_report_official": OWN,
    "reports:preview": OWN - {"inspector"},  # a draft never submitted is not the inspectors' to read
    "reports_revision_changelist": ALL_STAFF,
    "reports_revision_change": OWN,
    "reports_revision_add": NOBODY,
    "reports_revision_delete": NOBODY,
    "reports_revision_history": OWN,
    "reports_workflowevent_changelist": ALL_STAFF,
    "reports_workflowevent_change": OWN,
    "reports_workflowevent_add": NOBODY,
    "reports_workflowevent_delete": NOBODY,
    "reports_workflowevent_history": OWN,
    "reports_notification_changelist": ALL_STAFF,  # each their own notifications
    "reports_notification_mark_all_read": NOBODY,  # POST only (tests/reports/test_notifications.py)
    "reports_organization_changelist": REVIEWERS,
    "reports_organization_change": REVIEWERS,
    "reports_organization_add": SUPERUSER,
    "reports_organization_delete": SUPERUSER,
    "reports_organization_history": REVIEWERS,
    "reports_organization_autocomplete": NOBODY,
    # Word lists: editors keep them, auditors read them, clerks never see them.
    "reports_wordlistentry_changelist": WORDLIST_READERS,
    "reports_wordlistentry_change": WORDLIST_READERS,
    "reports_wordlistentry_add": {"editor", "other_editor", "superuser"},
    "reports_wordlistentry_delete": {"editor", "other_editor", "superuser"},
    "reports_wordlistentry_history": WORDLIST_READERS,
    "reports_wordlistchange_changelist": WORDLIST_READERS,
    "reports_wordlistchange_change": WORDLIST_READERS,
    "reports_wordlistchange_add": NOBODY,
    "reports_wordlistchange_delete": NOBODY,
    "reports_wordlistchange_history": WORDLIST_READERS,
    "reports_organization_duty": ALL_STAFF,  # each sees the units of their own scope
    "reports_organization_duty_export": ALL_STAFF,
    "reports_organization_duty_combined": {"inspector", "superuser"},
    "reports_reminder_changelist": REMINDER_READERS,
    "reports_reminder_change": REMINDER_READERS,
    "reports_reminder_add": NOBODY,
    "reports_reminder_delete": NOBODY,
    "reports_reminder_history": REMINDER_READERS,
    "reports_correction_changelist": REVIEWERS - {"inspector"},  # each editor's list holds their units' only
    "reports_correction_change": CORRECTION_READERS,
    "reports_correction_add": NOBODY,  # only residents send them
    "reports_correction_delete": NOBODY,
    "reports_correction_history": CORRECTION_READERS,
    "reports_synonymgroup_changelist": SEARCH_READERS,
    "reports_synonymgroup_change": SEARCH_READERS,  # auditors read it
    "reports_synonymgroup_add": EDITORS,
    "reports_synonymgroup_delete": EDITORS,
    "reports_synonymgroup_history": SEARCH_READERS,
    "reports_searchlogentry_changelist": SEARCH_READERS,
    "reports_searchlogentry_change": SEARCH_READERS,  # read only
    "reports_searchlogentry_add": NOBODY,  # written by searches alone
    "reports_searchlogentry_delete": NOBODY,
    "reports_searchlogentry_history": SEARCH_READERS,
    "accounts_authevent_changelist": {"auditor", "superuser"},
    "accounts_authevent_change": {"auditor", "superuser"},
    "accounts_authevent_add": NOBODY,
    "accounts_authevent_delete": NOBODY,
    "accounts_authevent_history": {"auditor", "superuser"},
    "auth_user_changelist": SUPERUSER,
    "auth_user_add": SUPERUSER,
    "auth_user_change": SUPERUSER,
    "auth_user_delete": SUPERUSER,
    "auth_user_history": SUPERUSER,
    "auth_user_password_change": SUPERUSER,
    "auth_group_changelist": SUPERUSER,
    "auth_group_add": SUPERUSER,
    "auth_group_change": SUPERUSER,
    "auth_group_delete": SUPERUSER,
    "auth_group_history": SUPERUSER,
}
# Patterns that are not pages of their own: the bare object address only redirects to its change page.
NOT_PAGES = {None}
# The state a report must be in for each workflow step to be possible at all.
STEP_STATES = {
    "submit": "draft",
    "return": "submitted",
    "approve": "submitted",
    "publish": "approved",
    "schedule": "approved",
    "withdraw": "published",
    "report_upward": "approved",
}
# The format of each download address walked.
KINDS = {"reports_report_official": "pdf", "reports_organization_duty_export": "csv"}


def staff_patterns() -> list[tuple[str, URLPattern, type]]:
    """(name, pattern, model) for every admin URL of the project's apps."""
    found = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLPattern) and pattern.name not in NOT_PAGES:
                found.append((pattern.name, pattern, model))
    return found


def keys_of(name: str) -> list[str]:
    """The table's keys for an admin URL name: the workflow address has one per step."""
    return [f"{name}:{step}" for step in STEP_STATES] if name.endswith("_workflow") else [name]


def expectation_keys() -> list[str]:
    return [*(key for name, _pattern, _model in staff_patterns() for key in keys_of(name)), "reports:preview"]


@pytest.fixture(scope="module")
def world_rows(module_rows):
    """Organization A with a report in every state, its people, and organization B's people: made once."""
    organization, other_organization = factories.make_organization(), factories.make_organization()
    clerk = factories.make_clerk(organization)
    editor = factories.make_editor(organization)
    reports = {"draft": factories.make_report(organization=organization, author=clerk, year=2021)}
    reports["submitted"] = factories.make_report(organization=organization, author=clerk, year=2022)
    services.submit_for_review(report=reports["submitted"], user=clerk)
    reports["approved"] = factories.make_report(organization=organization, author=clerk, year=2023)
    services.submit_for_review(report=reports["approved"], user=clerk)
    services.approve(report=reports["approved"], user=editor, secrecy_checked=True)
    reports["published"] = factories.make_published_report(organization=organization, author=clerk, editor=editor)
    # A draft the checks find a warning and a block-level problem in, for their ignore and override pages.
    reports["checked"] = factories.make_report(
        organization=organization, author=clerk, year=2024, preamble="<p>全面布署。身份证号11010519491231002X。</p>"
    )
    factories.attach(reports["published"])
    for report in reports.values():
        report.refresh_from_db()
    services.submit_correction(
        report_id=reports["published"].pk,
        revision_id=reports["published"].live_revision_id,
        page_url="http://testserver" + reports["published"].get_absolute_url(),
        text="第二段的日期写错了。",
    )
    users = {
        "anonymous": None,
        "clerk": clerk,
        "other_clerk": factories.make_clerk(other_organization),
        "editor": editor,
        "other_editor": factories.make_editor(other_organization),
        "auditor": factories.make_auditor(),
        "superuser": factories.make_user(is_superuser=True),
        "inspector": factories.make_inspector(organization),
    }
    Reminder.objects.create(
        kind=ReminderKind.UNIT,
        organization=organization,
        year=2023,
        milestone=Milestone.PUBLICATION,
        days_before=7,
        recipient=clerk,
        email=clerk.email,
        subject="提醒",
        body="提醒",
    )
    synonyms = SynonymGroup.objects.create(terms="复议，行政复议")
    search_log = SearchLogEntry.objects.create(day=date(2020, 5, 27), phrase="法律顾问", results=3, searches=5)
    return {
        "organization": organization.pk,
        "reports": {state: report.pk for state, report in reports.items()},
        "users": {role: user and user.pk for role, user in users.items()},
        "synonyms": synonyms.pk,
        "search_log": search_log.pk,
    }


@pytest.fixture
def world(world_rows):
    """The rows of ``world_rows``, read afresh for each test."""
    users = get_user_model().objects.in_bulk([pk for pk in world_rows["users"].values() if pk])
    return {
        "organization": Organization.objects.get(pk=world_rows["organization"]),
        "reports": {state: Report.objects.get(pk=pk) for state, pk in world_rows["reports"].items()},
        "users": {role: users.get(pk) for role, pk in world_rows["users"].items()},
        "synonyms": SynonymGroup.objects.get(pk=world_rows["synonyms"]),
        "search_log": SearchLogEntry.objects.get(pk=world_rows["search_log"]),
    }


def address(name: str, pattern: URLPattern, model, world) -> str:
    """The address of ``pattern`` with its parameters filled by organization A's objects."""
    step = None
    if ":" in name and not name.startswith("reports:"):
        name, step = name.split(":")
    report = world["reports"][STEP_STATES[step]] if step else world["reports"]["published"]
    if "_checks_" in name:
        report = world["reports"]["checked"]
    objects = {
        Report: report,
        Revision: report.revisions.order_by("-number").first(),
        WorkflowEvent: report.events.order_by("-sequence").first(),
        Organization: world["organization"],
        get_user_model(): world["users"]["clerk"],
        Group: Group.objects.get(name=EDITOR_GROUP),
        AuthEvent: AuthEvent.objects.order_by("pk").first(),
        SynonymGroup: world["synonyms"],
        SearchLogEntry: world["search_log"],
        WordListEntry: WordListEntry.objects.order_by("pk").first(),
        WordListChange: WordListChange.objects.order_by("pk").first(),
        Reminder: Reminder.objects.order_by("pk").first(),
        Correction: Correction.objects.get(),
    }
    kwargs = {}
    for parameter in pattern.pattern.regex.groupindex:
        if parameter in ("object_id", "id"):
            kwargs[parameter] = objects[model].pk
        elif parameter == "number":
            kwargs[parameter] = 1
        elif parameter == "file_format":
            kwargs[parameter] = "xlsx"
        elif parameter == "attachment_id":
            kwargs[parameter] = report.attachments.get().pk
        elif parameter == "step":
            kwargs[parameter] = step
        elif parameter == "fingerprint":
            kwargs[parameter] = review(report).warnings[0].fingerprint
        elif parameter == "kind":
            kwargs[parameter] = KINDS.get(name, "pdf")
        else:
            raise AssertionError(f"no value for <{parameter}> in {name}; teach address() about it")
    url = reverse(f"admin:{name}", kwargs=kwargs)
    if name.endswith("history_compare"):
        url += f"?old=1&new={report.revisions.count()}"
    return url


def outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 302 and response.url.startswith(reverse("admin:login")):
        return "login"
    if response.status_code in (302, 403, 404, 405):
        return "refused"
    return f"HTTP {response.status_code}"


def test_every_staff_address_has_an_expectation():
    """A new admin view fails here until the table above says who may open it."""
    assert sorted(set(expectation_keys()) - set(EXPECTED_OK)) == []


def staff_addresses(world) -> dict[str, str]:
    """Every staff address (each workflow step its own), filled with organization A's objects."""
    addresses = {}
    for name, pattern, model in staff_patterns():
        for key in keys_of(name):
            addresses[key] = address(key, pattern, model, world)
    addresses["reports:preview"] = reverse("reports:preview", kwargs={"pk": world["reports"]["draft"].pk})
    return addresses


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_who_opens_which_staff_page(client, world, role):
    addresses = staff_addresses(world)
    history_before = (WorkflowEvent.objects.count(), Revision.objects.count())
    if world["users"][role] is not None:
        client.force_login(world["users"][role])

    seen = {key: outcome(client.get(url)) for key, url in addresses.items()}

    wanted = {
        key: "login" if role == "anonymous" else "ok" if role in EXPECTED_OK.get(key, set()) else "refused"
        for key in addresses
    }
    mismatches = sorted(f"{key:40} got {seen[key]:8} want {wanted[key]}" for key in seen if seen[key] != wanted[key])
    assert mismatches == [], "\n" + "\n".join(mismatches)
    assert (WorkflowEvent.objects.count(), Revision.objects.count()) == history_before, "a GET changed something"


# What each step's confirmation form needs, so a refusal is about the role, not a missing field.
STEP_DATA = {
    "submit": {"comment": "请审核"},
    "return": {"comment": "请补充"},
    "approve": {"secrecy_checked": "on", "comment": ""},
    "publish": {"note": ""},
    "schedule": {"at_0": "2099-01-01", "at_1": "09:00", "note": ""},
    "withdraw": {"reason": "内容有误"},
    "report_upward": {"sent_on": "2020-01-02", "document_number": "〔2020〕1号"},
}


@pytest.mark.parametrize("step", list(STEP_STATES))
@pytest.mark.django_db
def test_refused_roles_cannot_take_a_workflow_step_by_posting_either(client, world, step):
    report = world["reports"][STEP_STATES[step]]
    url = reverse("admin:reports_report_workflow", kwargs={"object_id": report.pk, "step": step})
    for role in ROLES:
        if role in EXPECTED_OK[f"reports_report_workflow:{step}"]:
            continue
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        before = (report.state, report.events.count(), report.revisions.count())
        response = client.post(url, STEP_DATA[step])
        assert outcome(response) == ("login" if role == "anonymous" else "refused"), role
        report.refresh_from_db()
        assert (report.state, report.events.count(), report.revisions.count()) == before, role


@pytest.mark.django_db
def test_the_view_on_site_shortcut_answers_alike_for_absent_and_forbidden_attachments(client, world):
    """A clerk of another unit must not learn which attachment ids exist (302 against 404)."""
    attachment = Attachment.objects.create(report=world["reports"]["published"], file="attachments/a.pdf")
    content_type = ContentType.objects.get_for_model(Attachment)

    def answer(role, pk):
        client.force_login(world["users"][role])
        return client.get(reverse("admin:view_on_site", args=[content_type.pk, pk])).status_code

    assert answer("other_clerk", attachment.pk) == answer("other_clerk", attachment.pk + 1000) == 404
    assert answer("clerk", attachment.pk) == 302
