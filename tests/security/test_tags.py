"""Tags: changed only through a report's own edit, and names that cannot point elsewhere."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from taggit.models import Tag, TaggedItem

from reports.sanitize import clean_tag_name
from tests import factories
from tests.factories import page_form_data

pytestmark = pytest.mark.django_db

TAGGIT_ADDRESSES = ["/admin/taggit/tag/", "/admin/taggit/tag/merge-tags/", "/admin/taggit/tag/1/change/"]


def test_tags_have_no_admin_pages():
    with pytest.raises(NoReverseMatch):
        reverse("admin:taggit_tag_changelist")


@pytest.mark.parametrize("role", ["auditor", "clerk", "superuser"])
def test_no_role_can_list_or_merge_tags(client, published_report, role):
    published_report.tags.add("依法行政", "普法")
    users = {
        "auditor": factories.make_auditor(),
        "clerk": published_report.created_by,
        "superuser": factories.make_user(is_superuser=True),
    }
    client.force_login(users[role])
    before = list(TaggedItem.objects.values_list("pk", "tag__name", "object_id"))
    selected = [str(pk) for pk in Tag.objects.values_list("pk", flat=True)]

    answers = [client.get(url).status_code for url in TAGGIT_ADDRESSES]
    answers.append(
        client.post("/admin/taggit/tag/", {"action": "render_tag_form", "_selected_action": selected}).status_code
    )
    answers.append(client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "合并"}).status_code)

    assert set(answers) == {404}
    assert list(TaggedItem.objects.values_list("pk", "tag__name", "object_id")) == before


@pytest.mark.parametrize(
    "name", ["../../admin", "a\\b", "..", "标签\x07", "标签\n", "标\u202e签", "依法/行政", "长" * 101], ids=repr
)
def test_tag_names_that_would_point_elsewhere_or_hide_characters_are_refused(name):
    with pytest.raises(ValidationError):
        clean_tag_name(name)


def test_a_refused_tag_name_is_a_form_error_and_nothing_is_saved(client, report, clerk):
    client.force_login(clerk)
    url = reverse("admin:reports_report_change", args=[report.pk])
    data = page_form_data(client.get(url))

    response = client.post(url, data | {"tags": '"../../admin", 普法'})

    assert response.status_code == 200
    assert "不能含有“/”或“\\”" in response.context["adminform"].form.errors["tags"][0]
    assert not report.tags.exists()


def test_tag_names_are_stored_as_plain_text(client, report, clerk):
    client.force_login(clerk)
    url = reverse("admin:reports_report_change", args=[report.pk])
    data = page_form_data(client.get(url))

    response = client.post(url, data | {"tags": '"<b>依法</b>行政", 普法'})

    assert response.status_code == 302
    assert sorted(report.tags.names()) == ["依法行政", "普法"]
