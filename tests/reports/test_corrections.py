"""我要纠错: stored for the editors of the unit, never shown publicly, protected against spam."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Correction, CorrectionStatus, Report
from tests import factories
from tests.security.active_content import active_content

pytestmark = pytest.mark.django_db

TEXT = "第二部分第三段的“4名律师”应为“5名律师”。"


def form_url(report) -> str:
    return reverse("reports:correction", kwargs={"year": report.year, "org": report.organization.slug})


def send(client, report, *, text=TEXT, contact="", address="203.0.113.7", forwarded_for=None, **fields):
    meta = {"REMOTE_ADDR": address}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(form_url(report), {"text": text, "contact": contact, **fields}, **meta)


def republish(report: Report) -> None:
    editor = report.organization.editors.first()
    report.preamble = "<p>更正后的导语。</p>"
    report.save()
    services.record_edit(report=report, user=report.created_by)
    services.submit_for_review(report=report, user=report.created_by)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    report.refresh_from_db()


# --- Sending ----------------------------------------------------------------------------------------
def test_the_form_names_the_article_and_says_nothing_is_published(client, published_report):
    response = client.get(form_url(published_report))
    page = response.content.decode()
    assert response.status_code == 200
    assert published_report.title in page
    assert "不会在网站上公开" in page
    assert "联系方式保存 180 天后自动删除" in page
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("kind", ["draft", "missing"])
def test_only_a_published_report_has_a_form(client, report, kind):
    url = form_url(report) if kind == "draft" else reverse("reports:correction", kwargs={"year": 2031, "org": "x"})
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": TEXT}).status_code == 404
    assert not Correction.objects.exists()


def test_a_correction_is_stored_with_the_page_and_the_revision_public_when_sent(client, published_report):
    response = send(client, published_report, contact="  0663 1234567 ")

    assert response.status_code == 302
    assert response["Location"] == form_url(published_report) + "?sent=1"
    correction = Correction.objects.get()
    assert correction.report == published_report
    assert correction.revision_id == published_report.live_revision_id
    assert correction.page_url == "http://testserver" + published_report.get_absolute_url()
    assert correction.text == TEXT
    assert correction.contact == "0663 1234567"
    assert correction.status == CorrectionStatus.NEW
    assert "谢谢您" in client.get(response["Location"]).content.decode()


def test_after_a_republication_the_new_public_revision_is_recorded(client, published_report):
    republish(published_report)
    send(client, published_report)
    assert Correction.objects.get().revision_id == published_report.live_revision_id
    assert published_report.live_revision.number > 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "请写下您发现的错误。"),
        ({"text": "错"}, "请多写几个字"),
        ({"text": "错" * 1001}, "不要超过 1000 字"),
        ({"text": TEXT, "contact": "1" * 101}, "不要超过 100 个字符"),
    ],
)
def test_bad_input_is_said_and_nothing_is_stored(client, published_report, data, message):
    response = client.post(form_url(published_report), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Correction.objects.exists()


def test_a_bot_that_fills_the_hidden_field_is_thanked_and_nothing_is_stored(client, published_report):
    response = send(client, published_report, website="http://spam.example/")
    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_one_address_is_refused_past_the_limit_others_are_not(client, published_report, settings):
    settings.CORRECTION_RATE_LIMIT = 2
    assert [send(client, published_report).status_code for _ in range(2)] == [302, 302]

    refused = send(client, published_report)

    assert refused.status_code == 429
    assert "提交得太频繁" in refused.content.decode()
    assert Correction.objects.count() == 2
    assert send(client, published_report, address="198.51.100.9").status_code == 302


def test_the_limit_counts_the_address_the_trusted_proxy_saw(client, published_report, settings):
    settings.CORRECTION_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    first = send(client, published_report, address="10.0.0.1", forwarded_for="203.0.113.7")
    # The same client claiming another address to the left of the proxy's entry is still itself.
    second = send(client, published_report, address="10.0.0.1", forwarded_for="1.2.3.4, 203.0.113.7")
    other = send(client, published_report, address="10.0.0.1", forwarded_for="198.51.100.9")
    assert [first.status_code, second.status_code, other.status_code] == [302, 429, 302]


def test_the_form_is_protected_against_cross_site_posts(published_report):
    client = Client(enforce_csrf_checks=True)
    assert send(client, published_report).status_code == 403
    assert not Correction.objects.exists()


def test_nothing_a_resident_sends_is_ever_shown_publicly(client, published_report):
    secret = "居民的留言内容不应公开"
    send(client, published_report, text=secret, contact="13800000000")
    pages = [
        published_report.get_absolute_url(),
        reverse("reports:home"),
        reverse("reports:report_list"),
        reverse("reports:feed"),
        reverse("reports:sitemap"),
        reverse("reports:site_map"),
        form_url(published_report),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert secret not in content, url
        assert "13800000000" not in content, url
    assert "找到 0 篇" in client.get(reverse("reports:search"), {"q": secret}).content.decode()


# --- In the back office -------------------------------------------------------------------------------
@pytest.fixture
def correction(client, published_report):
    send(client, published_report, contact="13800000000")
    return Correction.objects.get()


def admin_list(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("admin:reports_correction_changelist")).content.decode()


def test_the_editors_of_the_unit_see_it_others_do_not(client, correction, organization, other_organization):
    assert TEXT[:20] in admin_list(client, organization.editors.first())
    assert TEXT[:20] not in admin_list(client, factories.make_editor(other_organization))
    assert TEXT[:20] in admin_list(client, factories.make_editor(all_organizations=True))


def test_clerks_do_not_get_corrections(client, correction, organization):
    client.force_login(organization.clerks.first())
    assert client.get(reverse("admin:reports_correction_changelist")).status_code == 403


def test_an_editor_answers_and_the_answer_is_stored(client, correction, organization, clock):
    editor = organization.editors.first()
    client.force_login(editor)
    url = reverse("admin:reports_correction_change", args=[correction.pk])
    page = client.get(url).content.decode()
    assert 'name="reply"' in page
    assert "13800000000" in page
    # The page and the revision the resident read, one click away.
    assert correction.page_url in page
    revision = reverse("admin:reports_report_history_revision", args=[correction.report_id, correction.revision.number])
    assert revision in page

    response = client.post(url, {"status": CorrectionStatus.ANSWERED, "reply": "已更正，谢谢。"})

    assert response.status_code == 302
    correction.refresh_from_db()
    answer = (correction.status, correction.reply, correction.replied_by)
    assert answer == (CorrectionStatus.ANSWERED, "已更正，谢谢。", editor)
    assert correction.replied_at == clock.now
    assert correction.text == TEXT  # what the resident wrote cannot be changed


def test_auditors_read_corrections_and_change_nothing(client, correction):
    client.force_login(factories.make_auditor())
    url = reverse("admin:reports_correction_change", args=[correction.pk])
    page = client.get(url).content.decode()
    assert TEXT in page
    assert 'name="reply"' not in page
    assert client.post(url, {"status": CorrectionStatus.DECLINED, "reply": "x"}).status_code == 403
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.NEW


def test_answering_is_refused_to_an_editor_of_another_unit(correction, other_organization):
    with pytest.raises(services.WorkflowError):
        services.answer_correction(
            correction=correction,
            user=factories.make_editor(other_organization),
            status=CorrectionStatus.DECLINED,
            reply="",
        )


def test_script_sent_by_residents_is_inert_in_the_back_office(client, published_report, organization):
    """One in fifteen payloads of the XSS corpus, each sent as a correction's text and contact."""
    harmless = services.submit_correction(
        report_id=published_report.pk, revision_id=published_report.live_revision_id, page_url="/", text=TEXT
    )
    client.force_login(organization.editors.first())
    change = "admin:reports_correction_change"
    baseline = active_content(client.get(reverse(change, args=[harmless.pk])).content)
    for payload in factories.xss_payloads()[::15]:
        correction = services.submit_correction(
            report_id=published_report.pk,
            revision_id=published_report.live_revision_id,
            page_url="http://testserver/",
            text=payload,
            contact=payload[:100],
        )
        assert active_content(client.get(reverse(change, args=[correction.pk])).content) == baseline, payload
    listing = reverse("admin:reports_correction_changelist")
    assert active_content(client.get(listing).content) == active_content(client.get(listing + "?q=无此内容").content)


# --- Personal data kept only as long as the setting says ------------------------------------------
def test_contacts_past_the_retention_period_are_erased(client, published_report, clock, settings):
    settings.CORRECTION_RETENTION_DAYS = 30
    send(client, published_report, contact="old@example.cn")
    clock.advance(days=20)
    send(client, published_report, contact="new@example.cn", address="198.51.100.9")
    clock.advance(days=11)

    call_command("erase_correction_contacts", stdout=io.StringIO())

    old, new = Correction.objects.order_by("created_at")
    assert (old.contact, old.contact_erased_at) == ("", clock.now)
    assert (new.contact, new.contact_erased_at) == ("new@example.cn", None)
    assert old.text == TEXT  # the report itself stays, for the record


def test_the_erase_command_refuses_a_negative_period():
    with pytest.raises(CommandError):
        call_command("erase_correction_contacts", days=-1)


def test_a_correction_is_kept_when_its_time_comes_only_its_contact_goes(correction):
    erased = services.erase_expired_contacts(retention=timedelta(days=0), now=timezone.now() + timedelta(seconds=1))
    assert erased == 1
    assert Correction.objects.filter(pk=correction.pk, contact="").exists()
