"""Draft and live, scheduling and withdrawal, as residents see them through the public pages.

Time is the ``clock`` fixture's: the services stamp events with it and the public queries
compare go-live times with it, so "the schedule passes" is ``clock.advance(...)``.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Item, Report
from tests import factories

OLD_WORDS = "旧版正文甲乙丙"
NEW_WORDS = "更正正文丁戊己"


def article(client, report):
    return client.get(reverse("reports:report_detail", kwargs={"year": report.year, "org": report.organization.slug}))


def surfaces(client, report, word: str = OLD_WORDS) -> dict[str, bool]:
    """Where the report appears: its article, the list, search for ``word``, the feed and the sitemap."""
    path = report.get_absolute_url()
    return {
        "article": article(client, report).status_code == 200,
        "list": path in client.get(reverse("reports:report_list")).content.decode(),
        "search": path in client.get(reverse("reports:search"), {"q": word}).content.decode(),
        "feed": path in client.get(reverse("reports:feed")).content.decode(),
        "sitemap": f"http://testserver{path}" in factories.sitemap_locations(client),
    }


EVERYWHERE = {"article": True, "list": True, "search": True, "feed": True, "sitemap": True}
NOWHERE = dict.fromkeys(EVERYWHERE, False)


def shanghai(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def write_report(organization, clerk) -> Report:
    report = factories.make_report(organization=organization, author=clerk)
    set_first_item(report, clerk, f"<p>{OLD_WORDS}。</p>")
    return report


def set_first_item(report, user, body: str) -> None:
    """Change the working copy as the admin's save does: write, then record the edit, in one transaction."""
    with transaction.atomic():
        item = Item.objects.filter(section__report=report).order_by("section__order", "order").first()
        item.body = body
        item.save()
        services.record_edit(report=report, user=user)
    report.refresh_from_db()


def review(report, clerk, editor) -> None:
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)


def test_draft_is_nowhere_on_the_public_site(client, clock, organization, clerk):
    report = write_report(organization, clerk)
    assert surfaces(client, report) == NOWHERE


def test_approved_but_unpublished_report_is_nowhere(client, clock, organization, clerk, editor):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    assert surfaces(client, report) == NOWHERE


def test_published_report_is_everywhere_with_the_systems_publish_time(client, clock, organization, clerk, editor):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    services.publish(report=report, user=editor)
    assert surfaces(client, report) == EVERYWHERE
    page = article(client, report).content.decode()
    assert OLD_WORDS in page
    assert f'发布时间：<time datetime="{timezone.localtime(clock.now).isoformat()}">{shanghai(clock.now)}' in page


def test_editing_a_published_report_keeps_the_public_version_until_it_is_republished(
    client, clock, organization, clerk, editor
):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    services.publish(report=report, user=editor)
    first_published = clock.now

    clock.advance(days=1)
    set_first_item(report, clerk, f"<p>{NEW_WORDS}。</p>")
    page = article(client, report).content.decode()
    assert OLD_WORDS in page
    assert NEW_WORDS not in page
    assert surfaces(client, report, NEW_WORDS)["search"] is False
    assert surfaces(client, report) == EVERYWHERE

    # Staff preview the new draft while the public still reads the old text.
    client.force_login(clerk)
    assert NEW_WORDS in client.get(reverse("reports:preview", args=[report.pk])).content.decode()
    client.logout()

    review(report, clerk, editor)
    assert NEW_WORDS not in article(client, report).content.decode()
    clock.advance(hours=2)
    services.publish(report=report, user=editor)
    page = article(client, report).content.decode()
    assert NEW_WORDS in page
    assert OLD_WORDS not in page
    assert f'发布时间：<time datetime="{timezone.localtime(first_published).isoformat()}">' in page
    assert f'更新时间：<time datetime="{timezone.localtime(clock.now).isoformat()}">' in page
    assert surfaces(client, report, NEW_WORDS)["search"] is True
    assert surfaces(client, report, OLD_WORDS)["search"] is False


def test_scheduled_report_appears_at_its_time_with_that_time_as_its_publish_time(
    client, clock, organization, clerk, editor
):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    go_live = clock.now + timedelta(days=2)
    services.publish(report=report, user=editor, at=go_live)
    assert surfaces(client, report) == NOWHERE

    clock.advance(days=2, seconds=-1)
    assert surfaces(client, report) == NOWHERE

    clock.advance(seconds=1)
    assert surfaces(client, report) == EVERYWHERE
    page = article(client, report).content.decode()
    assert f'发布时间：<time datetime="{timezone.localtime(go_live).isoformat()}">{shanghai(go_live)}' in page
    assert "更新时间" not in page


def test_scheduled_correction_replaces_the_live_version_only_at_its_time(client, clock, organization, clerk, editor):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    services.publish(report=report, user=editor)
    set_first_item(report, clerk, f"<p>{NEW_WORDS}。</p>")
    review(report, clerk, editor)
    services.publish(report=report, user=editor, at=clock.now + timedelta(days=1))

    assert OLD_WORDS in article(client, report).content.decode()
    clock.advance(days=1)
    page = article(client, report).content.decode()
    assert NEW_WORDS in page
    assert OLD_WORDS not in page


def test_withdrawn_report_answers_410_and_leaves_every_list(client, clock, organization, clerk, editor):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    services.publish(report=report, user=editor)
    clock.advance(days=10)
    services.withdraw(report=report, user=editor, reason="内部原因，暂不公开原因。")

    response = article(client, report)
    assert response.status_code == 410
    page = response.content.decode()
    assert "已撤回" in page
    assert shanghai(clock.now) in page
    assert "内部原因" not in page
    assert OLD_WORDS not in page
    assert {name: shown for name, shown in surfaces(client, report).items() if name != "article"} == {
        "list": False,
        "search": False,
        "feed": False,
        "sitemap": False,
    }


def test_withdrawal_reason_is_shown_when_the_editor_marks_it_public(client, clock, published_report, editor):
    services.withdraw(report=published_report, user=editor, reason="数据有误，更正后重新发布。", reason_is_public=True)
    response = article(client, published_report)
    assert response.status_code == 410
    assert "数据有误，更正后重新发布。" in response.content.decode()


def test_schedule_withdrawn_before_its_time_never_appears(client, clock, organization, clerk, editor):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    services.publish(report=report, user=editor, at=clock.now + timedelta(days=1))
    services.withdraw(report=report, user=editor, reason="推迟发布。")
    clock.advance(days=2)
    assert article(client, report).status_code == 404
    assert surfaces(client, report) == NOWHERE


def test_withdrawn_report_returns_only_after_review_and_publication(client, clock, organization, clerk, editor):
    report = write_report(organization, clerk)
    review(report, clerk, editor)
    services.publish(report=report, user=editor)
    services.withdraw(report=report, user=editor, reason="暂停公开。")
    review(report, clerk, editor)
    assert article(client, report).status_code == 410

    services.publish(report=report, user=editor)
    assert surfaces(client, report) == EVERYWHERE
