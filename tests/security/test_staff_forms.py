"""The forms behind the staff addresses: rows of another unit posted into them change nothing.

``test_staff_urls.py`` walks every address per role. Here the forms those addresses open are
posted with crafted rows: a section, item, sub-item or attachment of another unit's report
given as an inline row of the report being edited (or added). Whatever the role, nothing of
the other unit moves or disappears, nothing is recorded, and the answer is a form error.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from nested_admin.formsets import NestedInlineFormSet

from reports import services
from reports.admin.forms import ReportRowsFormSet
from reports.models import Attachment, Item, Organization, Report, Revision, Section, WorkflowEvent
from tests import factories
from tests.factories import management, new_report_data, page_form_data

INLINE_KINDS = ["section", "item", "sub_item", "attachment"]


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_rows")]


@pytest.fixture(scope="module")
def unit_rows(module_rows):
    """Unit A's draft with its clerk and editor; unit B's submitted and published reports with every kind of row."""
    organization, other_organization = factories.make_organization(), factories.make_organization()
    clerk = factories.make_clerk(organization)
    other_clerk = factories.make_clerk(other_organization)
    other_editor = factories.make_editor(other_organization)
    draft = factories.make_report(organization=organization, author=clerk, year=2021)
    submitted = factories.make_report(organization=other_organization, author=other_clerk, year=2021)
    parent = submitted.sections.first().items.first()
    Item.objects.create(section=parent.section, parent=parent, heading="乙单位下级条目", order=0)
    services.record_edit(report=submitted, user=other_clerk)
    services.submit_for_review(report=submitted, user=other_clerk)
    published = factories.make_report(organization=other_organization, author=other_clerk, year=2020)
    Attachment.objects.create(
        report=published,
        file=SimpleUploadedFile("乙.pdf", b"%PDF-1.4\n"),
        display_name="乙单位附件",
        size=9,
        content_type="application/pdf",
    )
    services.record_edit(report=published, user=other_clerk)
    services.submit_for_review(report=published, user=other_clerk)
    services.approve(report=published, user=other_editor, secrecy_checked=True)
    services.publish(report=published, user=other_editor)
    return {
        "draft": draft.pk,
        "other_organization": other_organization.pk,
        "foreign": {
            "section": (Section, submitted.sections.first().pk),
            "item": (Item, parent.pk),
            "sub_item": (Item, parent.children.get().pk),
            "attachment": (Attachment, published.attachments.get().pk),
        },
        "users": {
            "clerk": clerk.pk,
            "editor": factories.make_editor(organization).pk,
            "other_clerk": other_clerk.pk,
            "other_editor": other_editor.pk,
            "auditor": factories.make_auditor().pk,
        },
    }


@pytest.fixture
def units(unit_rows):
    """The rows of ``unit_rows``, read afresh for each test."""
    users = get_user_model().objects.in_bulk(unit_rows["users"].values())
    return {
        "draft": Report.objects.get(pk=unit_rows["draft"]),
        "other_organization": Organization.objects.get(pk=unit_rows["other_organization"]),
        "foreign": {kind: model.objects.get(pk=pk) for kind, (model, pk) in unit_rows["foreign"].items()},
        "users": {role: users[pk] for role, pk in unit_rows["users"].items()},
    }


def unit_content(organization) -> list:
    """Every row of an organization's reports, with what places it, and its history's length."""
    reports = Report.objects.filter(organization=organization)
    return [
        sorted(Section.objects.filter(report__in=reports).values_list("pk", "report", "kind", "heading", "order")),
        sorted(Item.objects.filter(section__report__in=reports).values_list("pk", "section", "parent", "heading")),
        sorted(Attachment.objects.filter(report__in=reports).values_list("pk", "report", "display_name", "file")),
        Revision.objects.filter(report__in=reports).count(),
        WorkflowEvent.objects.filter(report__in=reports).count(),
    ]


def add_foreign_row(data: dict, kind: str, row, *, delete: bool) -> dict:
    """``data`` with one more initial row of ``kind`` whose id is ``row``'s, as a crafted form would post it."""
    nested = {}
    if kind == "section":
        prefix, total = "sections", int(data["sections-TOTAL_FORMS"])
        fields = {"report": "", "kind": "other", "heading": "移入", "intro": ""}
        nested = management(f"{prefix}-{total}-items", 0)
    elif kind in ("item", "item_of_second_section"):
        section = "sections-1" if kind == "item_of_second_section" else "sections-0"
        prefix, total = f"{section}-items", int(data[f"{section}-items-TOTAL_FORMS"])
        fields = {"section": data.get(f"{section}-id", ""), "heading": "移入", "body": ""}
        nested = management(f"{prefix}-{total}-children", 0)
    elif kind == "sub_item":
        prefix, total = "sections-0-items-0-children", int(data["sections-0-items-0-children-TOTAL_FORMS"])
        fields = {"parent": data.get("sections-0-items-0-id", ""), "heading": "移入", "body": ""}
    else:
        prefix, total = "attachments", int(data["attachments-TOTAL_FORMS"])
        fields = {"report": "", "display_name": "移入"}
    if "report" in fields:
        fields["report"] = data["sections-0-report"] if "sections-0-report" in data else ""
    data = data | {f"{prefix}-TOTAL_FORMS": str(total + 1), f"{prefix}-INITIAL_FORMS": str(total + 1)}
    data |= {f"{prefix}-{total}-{name}": value for name, value in fields.items()} | nested
    data |= {f"{prefix}-{total}-id": str(row.pk), f"{prefix}-{total}-order": "99"}
    if delete:
        data[f"{prefix}-{total}-DELETE"] = "on"
    return data


def refused(response) -> bool:
    """The page re-shown saying why (200), or a bad request (400): never a save."""
    return response.status_code == 400 or (
        response.status_code == 200 and "表单中有不属于这份报告的内容" in response.content.decode()
    )


@pytest.mark.parametrize("delete", [False, True], ids=["moved", "deleted"])
@pytest.mark.parametrize("kind", INLINE_KINDS)
@pytest.mark.parametrize("role", ["clerk", "editor"])
def test_rows_of_another_unit_cannot_be_posted_into_a_change_form(client, units, role, kind, delete):
    draft = units["draft"]
    client.force_login(units["users"][role])
    url = reverse("admin:reports_report_change", args=[draft.pk])
    data = page_form_data(client.get(url))
    before = unit_content(units["other_organization"]), unit_content(draft.organization)

    response = client.post(url, add_foreign_row(data, kind, units["foreign"][kind], delete=delete))

    assert refused(response), response.status_code
    assert (unit_content(units["other_organization"]), unit_content(draft.organization)) == before
    assert units["foreign"]["attachment"].file.storage.exists(units["foreign"]["attachment"].file.name)


@pytest.mark.parametrize("role", ["other_clerk", "other_editor", "auditor"])
def test_roles_that_cannot_open_a_change_form_cannot_post_it_either(client, units, role):
    """Unit B's people (whose rows these are) and auditors: refused before any row is looked at."""
    draft = units["draft"]
    url = reverse("admin:reports_report_change", args=[draft.pk])
    client.force_login(units["users"]["clerk"])
    data = add_foreign_row(page_form_data(client.get(url)), "attachment", units["foreign"]["attachment"], delete=True)
    data["title"] = "改过的标题"
    before = unit_content(units["other_organization"]), unit_content(draft.organization)
    client.force_login(units["users"][role])

    response = client.post(url, data)

    assert response.status_code in (403, 404)
    assert (unit_content(units["other_organization"]), unit_content(draft.organization)) == before
    draft.refresh_from_db()
    assert draft.title != "改过的标题"


@pytest.mark.parametrize("kind", INLINE_KINDS)
def test_rows_of_another_unit_cannot_be_posted_into_the_add_form(client, units, kind):
    organization = units["draft"].organization
    client.force_login(units["users"]["clerk"])
    # The crafted row is the inline's only row, so it is the one "initial" form a new report's formset sees.
    sections = {"section": [], "item": [("measures", [])], "sub_item": [("measures", [("条目", "", [])])]}
    data = new_report_data(organization, sections.get(kind, []), year=2022)
    before = unit_content(units["other_organization"])

    response = client.post(
        reverse("admin:reports_report_add"), add_foreign_row(data, kind, units["foreign"][kind], delete=False)
    )

    assert refused(response), response.status_code
    assert unit_content(units["other_organization"]) == before
    assert not Report.objects.filter(organization=organization, year=2022).exists()


def test_saving_checks_each_row_again_behind_the_form(client, units, monkeypatch):
    """Should the formset's own check ever be bypassed, the save itself refuses another unit's row."""
    monkeypatch.setattr(ReportRowsFormSet, "clean", NestedInlineFormSet.clean)
    draft, attachment = units["draft"], units["foreign"]["attachment"]
    client.force_login(units["users"]["clerk"])
    url = reverse("admin:reports_report_change", args=[draft.pk])
    data = page_form_data(client.get(url))
    before = unit_content(units["other_organization"])

    response = client.post(url, add_foreign_row(data, "attachment", attachment, delete=True))

    assert response.status_code == 400
    assert unit_content(units["other_organization"]) == before
    assert Attachment.objects.get(pk=attachment.pk).detached_at is None


def test_an_item_may_still_move_to_another_section_of_the_same_report(client, units):
    """The confinement is to the report: dragging an item between its sections keeps working."""
    draft = units["draft"]
    client.force_login(units["users"]["clerk"])
    url = reverse("admin:reports_report_change", args=[draft.pk])
    data = page_form_data(client.get(url))
    moved = draft.sections.first().items.last()
    data = {key: value for key, value in data.items() if not key.startswith("sections-0-items-1-")}
    data |= management("sections-0-items", 1, initial=1)

    response = client.post(url, add_foreign_row(data, "item_of_second_section", moved, delete=False))

    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.section == draft.sections.all()[1]


@pytest.mark.parametrize("order", ["1", "abc", "-5", "99999999999999999999"])
def test_a_form_re_shown_with_errors_renders_whatever_order_was_posted(client, units, order):
    """Rows sharing a position, or with one that is no number, come back on the page, not as a 500."""
    draft = units["draft"]
    client.force_login(units["users"]["clerk"])
    url = reverse("admin:reports_report_change", args=[draft.pk])
    data = page_form_data(client.get(url))
    data |= {"year": "不是年份", "sections-0-order": order, "sections-1-order": order}
    data |= {"sections-0-items-0-order": order, "sections-0-items-1-order": order}
    before = unit_content(draft.organization)

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"]
    assert unit_content(draft.organization) == before


def test_rows_sharing_a_position_are_saved_in_their_order_on_the_page(client, units):
    draft = units["draft"]
    client.force_login(units["users"]["clerk"])
    url = reverse("admin:reports_report_change", args=[draft.pk])
    data = page_form_data(client.get(url))
    rows = range(int(data["sections-TOTAL_FORMS"]))
    page_order = [int(data[f"sections-{n}-id"]) for n in rows]
    data |= {f"sections-{n}-order": "7" for n in rows}

    assert client.post(url, data).status_code == 302
    assert list(draft.sections.values_list("pk", flat=True)) == page_order
