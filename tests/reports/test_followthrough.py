"""上年工作安排落实情况: item identity across revisions, the plan review service and its admin page."""

import pytest
from django.db import transaction
from django.urls import reverse

from reports import services
from reports.followthrough import plans_of
from reports.history.compare import compare
from reports.history.revisions import same_content, save_revision, snapshot
from reports.models import Item, PlanReview, PlanStatus, Report, ReportState, Revision, SectionKind
from tests import factories
from tests.factories import change_url, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(organization, clerk, editor):
    return factories.make_consecutive_reports(organization=organization, clerk=clerk, editor=editor)


def review(report, user, entries, **kwargs):
    report.refresh_from_db()
    return services.review_plans(report=report, user=user, entries=entries, expected_version=report.version, **kwargs)


def entry(plan_key, status="", note="", measure_keys=()):
    return services.PlanReviewEntry(plan_key=plan_key, status=status, note=note, measure_keys=list(measure_keys))


def previous_plan_keys(previous: Report) -> list[str]:
    return [plan.key for plan in plans_of(Revision.objects.get(pk=previous.live_revision_id).content)]


# --- Items keep their identity --------------------------------------------------------------


def test_snapshot_names_every_item_by_its_key(report):
    content = report.revisions.order_by("-number").first().content
    keys = {str(key) for key in Item.objects.filter(section__report=report).values_list("key", flat=True)}
    assert content["schema"] == 2
    assert {item["key"] for section in content["sections"] for item in section["items"]} == keys


def test_restoring_a_revision_gives_items_back_their_keys(report, clerk, editor):
    first = report.revisions.order_by("-number").first()
    with transaction.atomic():
        Item.objects.filter(section__report=report).delete()
        services.record_edit(report=report, user=clerk)

    services.restore_revision(revision=first, user=editor)

    restored = {str(key) for key in Item.objects.filter(section__report=report).values_list("key", flat=True)}
    assert restored == {item["key"] for section in first.content["sections"] for item in section["items"]}


def as_schema_1(content: dict) -> dict:
    """A snapshot as the portal wrote it before items had keys."""
    old = {name: value for name, value in content.items() if name != "plan_review"} | {"schema": 1}
    old["sections"] = [
        {
            **section,
            "items": [
                {**strip_key(item), "children": [strip_key(c) for c in item["children"]]} for item in section["items"]
            ],
        }
        for section in content["sections"]
    ]
    return old


def strip_key(item: dict) -> dict:
    return {name: value for name, value in item.items() if name != "key"}


def test_first_save_after_the_upgrade_that_changes_no_text_records_no_revision(published_report, clerk):
    """The working copy with keys says what the schema 1 revision said: the published report stays published."""
    latest = published_report.revisions.order_by("-number").first()
    Revision(
        report=published_report,
        number=latest.number + 1,
        state=latest.state,
        title=latest.title,
        content=as_schema_1(latest.content),
        hash="0" * 64,
    ).save()

    assert services.record_edit(report=published_report, user=clerk) is None
    published_report.refresh_from_db()
    assert published_report.state == ReportState.PUBLISHED


def test_a_changed_text_is_a_change_across_schemas(report):
    old = as_schema_1(snapshot(report))
    new = snapshot(report)
    new["sections"][0]["items"][0]["heading"] = "改过的标题"
    assert not same_content(old, new)
    assert same_content(old, snapshot(report))


def test_a_save_that_changes_nothing_records_nothing(report, clerk):
    assert save_revision(report=report, user=clerk) is None


# --- The plan review service ----------------------------------------------------------------


def test_review_stores_a_row_for_every_plan_of_last_years_public_revision(reports, clerk):
    previous, current = reports
    plans = previous_plan_keys(previous)
    measures, _plans = factories.measure_and_plan_keys(current)

    revision = review(current, clerk, [entry(plans[0], PlanStatus.DONE, "已全部完成。", [measures[1]])])

    rows = list(current.plan_reviews.values_list("plan_key", "position", "status", "note", "measure_keys"))
    assert rows == [(plans[0], 1, "done", "已全部完成。", [measures[1]]), (plans[1], 2, "", "", [])]
    assert revision.content["plan_review"]["previous"] == {
        "year": 2019,
        "revision": previous.live_revision_id,
        "hash": Revision.objects.get(pk=previous.live_revision_id).hash,
    }
    assert revision.content["plan_review"]["items"][0]["measure_keys"] == [measures[1]]
    assert current.events.order_by("-sequence").first().action == "edit"


def test_reviewing_a_published_report_makes_a_new_draft(organization, clerk, editor):
    previous = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2019)
    current = factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2020)

    review(current, clerk, [entry(previous_plan_keys(previous)[0], PlanStatus.IN_PROGRESS)])

    current.refresh_from_db()
    assert current.state == ReportState.DRAFT
    public = Revision.objects.get(pk=current.live_revision_id)
    assert public.content["plan_review"] is None


@pytest.mark.parametrize("field", ["plan", "measure"])
def test_review_refuses_a_key_from_another_report(reports, clerk, other_organization, field):
    previous, current = reports
    other = factories.make_report(organization=other_organization)
    foreign_measures, foreign_plans = factories.measure_and_plan_keys(other)
    plan = foreign_plans[0] if field == "plan" else previous_plan_keys(previous)[0]
    measures = [foreign_measures[0]] if field == "measure" else []

    with pytest.raises(services.WorkflowError):
        review(current, clerk, [entry(plan, PlanStatus.DONE, measure_keys=measures)])
    assert not PlanReview.objects.exists()


def test_review_refuses_plans_of_last_years_working_copy(reports, clerk):
    """A plan added to last year's report after publication was never promised to the public."""
    previous, current = reports
    plans_section = previous.sections.get(kind=SectionKind.PLANS)
    with transaction.atomic():
        added = Item.objects.create(section=plans_section, heading="发布后才加的安排", order=9)
        services.record_edit(report=previous, user=clerk)

    with pytest.raises(services.WorkflowError):
        review(current, clerk, [entry(str(added.key), PlanStatus.DONE)])


def test_review_needs_a_public_report_of_last_year(organization, clerk):
    factories.make_report(organization=organization, author=clerk, year=2019)
    current = factories.make_report(organization=organization, author=clerk, year=2020)

    with pytest.raises(services.WorkflowError, match="没有公开"):
        review(current, clerk, [])


def test_review_refuses_a_stale_page(reports, clerk):
    _previous, current = reports
    with pytest.raises(services.WorkflowError, match="已被他人修改"):
        services.review_plans(report=current, user=clerk, entries=[], expected_version=current.version - 1)


def test_auditor_cannot_review(reports, auditor):
    _previous, current = reports
    with pytest.raises(services.WorkflowError):
        review(current, auditor, [])


def test_plans_of_a_schema_1_revision_are_named_by_position():
    content = {"sections": [{"kind": "plans", "items": [{"heading": "甲", "body": "", "children": []}]}]}
    assert [(plan.key, plan.number, plan.text) for plan in plans_of(content)] == [("position-1", "（一）", "甲")]


def test_a_plan_without_heading_is_named_by_its_text():
    content = {"sections": [{"kind": "plans", "items": [{"heading": "", "body": "<p>加强培训。</p>", "children": []}]}]}
    assert plans_of(content)[0].text == "加强培训。"


def test_a_link_to_a_deleted_measure_leaves_the_snapshot(reports, clerk):
    previous, current = reports
    measures, _plans = factories.measure_and_plan_keys(current)
    review(current, clerk, [entry(previous_plan_keys(previous)[0], PlanStatus.DONE, measure_keys=measures)])
    with transaction.atomic():
        Item.objects.filter(key=measures[0]).delete()
        services.record_edit(report=current, user=clerk)

    content = current.revisions.order_by("-number").first().content
    assert content["plan_review"]["items"][0]["measure_keys"] == measures[1:]


def test_comparing_revisions_shows_a_changed_status(reports, clerk):
    previous, current = reports
    plan = previous_plan_keys(previous)[0]
    before = review(current, clerk, [entry(plan, PlanStatus.IN_PROGRESS)])
    after = review(current, clerk, [entry(plan, PlanStatus.DONE)])

    changed = {change.label: change.diff for change in compare(before.content, after.content).changed_fields}
    assert "上年工作安排落实情况" in changed


# --- Unfinished plans as a starting point for 存在不足和原因 -------------------------------------


def test_unfinished_plans_are_copied_into_shortcomings_once(reports, clerk):
    previous, current = reports
    plans = previous_plan_keys(previous)
    review(current, clerk, [entry(plans[0], PlanStatus.NOT_DONE, "人员不足。"), entry(plans[1], PlanStatus.DONE)])
    plan_text = current.plan_reviews.get(plan_key=plans[0]).plan_text

    for _ in range(2):
        current.refresh_from_db()
        services.copy_unfinished_plans(report=current, user=clerk, expected_version=current.version)

    shortcomings = Item.objects.filter(section__report=current, section__kind=SectionKind.SHORTCOMINGS)
    copied = shortcomings.filter(heading=plan_text)
    assert copied.count() == 1
    assert copied.get().body == "<p>人员不足。</p>"
    assert shortcomings.count() == 3  # the two it had, and the one copied


def test_nothing_is_copied_without_unfinished_plans(reports, clerk):
    previous, current = reports
    review(current, clerk, [entry(previous_plan_keys(previous)[0], PlanStatus.DONE)])
    with pytest.raises(services.WorkflowError, match="推进中"):
        current.refresh_from_db()
        services.copy_unfinished_plans(report=current, user=clerk, expected_version=current.version)


# --- The admin page ---------------------------------------------------------------------------


def plan_review_url(report) -> str:
    return reverse("admin:reports_report_plan_review", args=[report.pk])


def posted(report, plans, rows) -> dict:
    """POST data of the page: ``rows`` is [(status, note, measure keys)] per plan."""
    data = {"expected_version": str(report.version), "change_comment": ""}
    for position, (plan, (status, note, measures)) in enumerate(zip(plans, rows, strict=True), start=1):
        data |= {f"plan-{position}-plan_key": plan, f"plan-{position}-status": status, f"plan-{position}-note": note}
        data[f"plan-{position}-measures"] = list(measures)
    return data


def test_change_page_links_to_the_checklist(client, reports, clerk):
    _previous, current = reports
    client.force_login(clerk)
    assert plan_review_url(current) in client.get(change_url(current)).content.decode()


def test_checklist_shows_last_years_plans_and_saves_them(client, reports, clerk):
    previous, current = reports
    plans = previous_plan_keys(previous)
    measures, _plans = factories.measure_and_plan_keys(current)
    client.force_login(clerk)

    page = client.get(plan_review_url(current)).content.decode()
    response = client.post(
        plan_review_url(current),
        posted(current, plans, [("done", "按期完成。", [measures[0]]), ("adjusted", "", [])]),
    )

    assert "plans条目1" in page and "measures条目2" in page
    assert response.status_code == 302
    assert messages_of(response) == ["已保存上年工作安排落实情况。"]
    assert list(current.plan_reviews.values_list("status", flat=True)) == ["done", "adjusted"]


@pytest.mark.parametrize("field", ["plan_key", "measures"])
def test_checklist_refuses_an_id_of_another_report(client, reports, clerk, other_organization, field):
    previous, current = reports
    plans = previous_plan_keys(previous)
    other = factories.make_report(organization=other_organization)
    foreign_measures, foreign_plans = factories.measure_and_plan_keys(other)
    data = posted(current, plans, [("done", "", []), ("done", "", [])])
    data["plan-1-plan_key" if field == "plan_key" else "plan-1-measures"] = (
        foreign_plans[0] if field == "plan_key" else [foreign_measures[0]]
    )
    client.force_login(clerk)

    response = client.post(plan_review_url(current), data)

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not PlanReview.objects.exists()


def test_auditor_reads_the_checklist_but_cannot_post(client, reports, auditor):
    previous, current = reports
    client.force_login(auditor)

    assert client.get(plan_review_url(current)).status_code == 200
    response = client.post(plan_review_url(current), posted(current, previous_plan_keys(previous), [("", "", [])] * 2))
    assert response.status_code == 403
    assert not PlanReview.objects.exists()


def test_clerk_of_another_unit_gets_404(client, reports, other_clerk):
    _previous, current = reports
    client.force_login(other_clerk)
    assert client.get(plan_review_url(current)).status_code == 404


def test_checklist_says_when_last_year_has_no_public_report(client, organization, clerk):
    current = factories.make_report(organization=organization, author=clerk, year=2020)
    client.force_login(clerk)
    assert "尚未在本网公开" in client.get(plan_review_url(current)).content.decode()


def test_button_copies_unfinished_plans_into_shortcomings(client, reports, clerk):
    previous, current = reports
    plans = previous_plan_keys(previous)
    review(current, clerk, [entry(plans[0], PlanStatus.NOT_DONE)])
    current.refresh_from_db()
    client.force_login(clerk)

    page = client.get(plan_review_url(current)).content.decode()
    response = client.post(
        reverse("admin:reports_report_plan_review_shortcomings", args=[current.pk]),
        {"expected_version": str(current.version)},
    )

    assert "填入“存在不足和原因”" in page
    assert response.status_code == 302
    plan_text = current.plan_reviews.get(plan_key=plans[0]).plan_text
    assert Item.objects.filter(section__report=current, section__kind="shortcomings", heading=plan_text).exists()
