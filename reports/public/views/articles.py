"""The article page: a published report exactly as its public revision has it."""

from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.followthrough import plans_of
from reports.history.publication import public_update_notes
from reports.models import PUBLICATION_ACTIONS, Report, Revision, WorkflowAction
from reports.public import caching, counter
from reports.public.article import article_context, render_article_body
from reports.public.pages import public_page
from reports.public.queries import PublicReport, article_view, other_years, public_report


@public_page
def report_detail(request, year: int, org: str):
    # Found and counted by the public pages' middleware, or here.
    view = getattr(request, "article_view", None) or article_view(
        year=year, org=org, count_view=counter.is_a_view(request)
    )
    report = public_report(year=year, org=org) if view is not None else None
    if report is None:
        return _not_public(request, year=year, org=org)
    return caching.CountedResponse(render_article(request, report), view.view_count)


def render_article(request, report: PublicReport) -> str:
    """The article page with ``caching.VIEW_COUNT_MARK`` where its view count goes."""
    content = Revision.objects.values_list("content", flat=True).get(pk=report.public_revision_id)
    context = article_context(
        request,
        content,
        published_at=report.published_at,
        updated_at=report.updated_at,
        original_published_at=report.imported_published_at,
        view_count=caching.VIEW_COUNT_MARK,
        body_html=caching.cached_body(report.public_revision_id, lambda: render_article_body(content)),
    )
    found = other_years(report)
    context["neighbours"] = _neighbour_links(found, org=content["organization"]["slug"])
    # Only a republication can have update notes, so a first edition costs no query for them.
    context["update_notes"] = (
        public_update_notes(Report(pk=report.id), report.public_revision_id) if report.updated_at else []
    )
    if not content.get("plan_review"):
        context["follow_through_note"] = _follow_through_note(content, found["earlier"])
    return render_to_string("reports/report_detail.html", context, request)


def _follow_through_note(content: dict, earlier: dict | None) -> str:
    """Why a report shows no 上年工作安排落实情况 table: no public report last year, no plans in it, or not stated.

    ``earlier`` is the nearest earlier public report (``other_years``): only when it is last
    year's is its text read.
    """
    year = content["year"]
    previous = None
    if earlier is not None and earlier["year"] == year - 1:
        previous = Revision.objects.values_list("content", flat=True).get(pk=earlier["public_revision_id"])
    if previous is None:
        return _("本单位%(year)s年度报告未在本网公开，没有可以对照的上年工作安排。") % {"year": year - 1}
    if not plans_of(previous):
        return _("本单位%(year)s年度报告没有分条列出“下一年度工作安排”，无法逐项对照。") % {"year": year - 1}
    return _("本报告未逐项说明%(year)s年度工作安排的落实情况。") % {"year": year - 1}


def _neighbour_links(found: dict, *, org: str) -> dict:
    def link(entry):
        if entry is None:
            return None
        url = reverse("reports:report_detail", kwargs={"year": entry["year"], "org": org})
        return {"year": entry["year"], "title": entry["public_title"], "url": url}

    return {"earlier": link(found["earlier"]), "later": link(found["later"])}


def _not_public(request, *, year: int, org: str):
    """410 Gone for a report that was public and has been withdrawn; 404 for anything else."""
    report = Report.objects.filter(year=year, organization__slug=org).first()
    if report is None:
        raise Http404(_("没有找到这份报告。"))
    latest = report.events.filter(action__in=PUBLICATION_ACTIONS).order_by("-sequence").first()
    if latest is None or latest.action != WorkflowAction.WITHDRAW or latest.effective_at > timezone.now():
        raise Http404(_("没有找到这份报告。"))
    # What the public saw until the withdrawal; a schedule withdrawn before it went live
    # was never public, and there is nothing to announce.
    before = report.events.filter(
        action__in=PUBLICATION_ACTIONS, sequence__lt=latest.sequence, effective_at__lte=latest.effective_at
    )
    last = before.select_related("revision").order_by("-sequence").first()
    if last is None or last.action != WorkflowAction.PUBLISH:
        raise Http404(_("没有找到这份报告。"))
    last_public = last.revision
    context = {
        "title": last_public.title,
        "withdrawn_at": latest.effective_at,
        "reason": latest.comment if latest.comment_is_public else "",
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": last_public.title, "url": None},
        ],
    }
    return render(request, "reports/withdrawn.html", context, status=410)
