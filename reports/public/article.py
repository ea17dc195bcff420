"""The article page's HTML from a report snapshot: shared by the public page, the staff
preview and the auditors' revision view, so what was reviewed is what residents read.

The body is a pure function of one snapshot (``render_article_body``), so it can be kept
per revision; the page around it adds the publish times and the view count.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.followthrough import follow_through_rows
from reports.history.revisions import sanitized_content


def render_article_body(content: dict, *, attachment_url=None) -> str:
    """The HTML of a report's body: a pure function of one snapshot, safe to keep by revision.

    The snapshot's rich text was sanitized on the way in; it is sanitized again here, once
    per revision (the result is kept), so a row written past the application stays inert.
    Staff screens pass ``attachment_url(entry)``, the staff address of each attachment
    ("" for a file no longer stored); public pages link the public download.
    """
    cleaned = sanitized_content(content)
    if attachment_url is not None:
        cleaned["attachments"] = [{**entry, "link": attachment_url(entry)} for entry in cleaned["attachments"]]
    return render_to_string(
        "reports/includes/article_body.html", {"content": cleaned, "follow_through": follow_through_rows(content)}
    )


def article_context(
    request,
    content: dict,
    *,
    published_at,
    updated_at=None,
    original_published_at=None,
    view_count: int | str,
    body_html: str | None = None,
) -> dict:
    """What the article template needs besides the other years' links.

    ``published_at`` is when the report first went public on this portal, ``updated_at``
    when the shown revision replaced an earlier public one, ``original_published_at`` the
    publish time on an old site that whoever imported the report declared (shown as such).
    """
    organization = content["organization"]
    list_url = reverse("reports:report_list")
    return {
        "content": content,
        "body_html": render_article_body(content) if body_html is None else body_html,
        "published_at": published_at,
        "updated_at": updated_at,
        "original_published_at": original_published_at,
        "view_count": view_count,
        "page_url": request.build_absolute_uri(
            reverse("reports:report_detail", kwargs={"year": content["year"], "org": organization["slug"]})
        ),
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": list_url},
            {"label": organization["name"], "url": f"{list_url}?org={organization['slug']}"},
            {"label": content["title"], "url": None},
        ],
    }
