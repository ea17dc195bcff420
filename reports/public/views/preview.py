"""Staff preview: the working copy rendered exactly as the article page would show it."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from reports.history.revisions import snapshot
from reports.models import Report, Revision
from reports.public.article import article_context, render_article_body
from reports.roles import can_view


def preview(request, pk: int):
    """Render the unpublished working copy for staff who may see the report; it is never counted."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    report = Report.objects.select_related("organization").filter(pk=pk).first()
    # 404 rather than 403, so a report's existence does not leak to staff of other units.
    if report is None or not can_view(request.user, report):
        raise Http404(_("没有找到这份报告。"))
    content = snapshot(report)
    context = article_context(
        request,
        content,
        published_at=report.first_published_at,
        original_published_at=report.imported_published_at,
        view_count=report.view_count,
        # Staff read the working copy's files through the admin's download, which checks who asks.
        body_html=render_article_body(
            content, attachment_url=lambda entry: reverse("admin:reports_report_attachment", args=[pk, entry["id"]])
        ),
    )
    context["preview"] = True
    context["report_state"] = report.get_state_display()
    # What the public sees instead, so nobody mistakes this working copy for the public page.
    public_revision = Report.objects.published().filter(pk=pk).values_list("public_revision_id", flat=True).first()
    context["public_number"] = (
        Revision.objects.filter(pk=public_revision).values_list("number", flat=True).first()
        if public_revision
        else None
    )
    response = render(request, "reports/report_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response
