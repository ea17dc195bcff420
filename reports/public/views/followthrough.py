"""上年工作安排落实情况, side by side: last year's plans beside this year's measures, from public revisions only."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.followthrough import follow_through_rows, measures_of, plans_of
from reports.history.revisions import sanitized_content
from reports.public.pages import public_page
from reports.public.queries import public_contents


@public_page
def follow_through(request, year: int, org: str):
    contents = public_contents(org=org, years=[year - 1, year])
    if year not in contents:
        raise Http404(_("没有找到这份报告。"))
    current = sanitized_content(contents[year])
    previous = sanitized_content(contents[year - 1]) if year - 1 in contents else None
    rows = {row["key"]: row for row in follow_through_rows(current)}
    plans = [{"plan": plan, "review": rows.get(plan.key)} for plan in (plans_of(previous) if previous else [])]
    carried_out: dict[str, list] = {}
    for entry in plans:
        for measure in entry["review"]["measures"] if entry["review"] else []:
            carried_out.setdefault(measure["key"], []).append(entry["plan"])
    article_url = reverse("reports:report_detail", kwargs={"year": year, "org": org})
    context = {
        "year": year,
        "previous_year": year - 1,
        "current": current,
        "previous": previous,
        "plans": plans,
        "reviewed": bool(rows),
        "measures": [
            {"measure": measure, "plans": carried_out.get(measure.key, [])} for measure in measures_of(current)
        ],
        "article_url": article_url,
        "previous_url": reverse("reports:report_detail", kwargs={"year": year - 1, "org": org}) if previous else None,
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": current["organization"]["name"], "url": reverse("reports:unit_archive", args=[org])},
            {"label": current["title"], "url": article_url},
            {"label": _("上年工作安排落实情况"), "url": None},
        ],
    }
    return render(request, "reports/follow_through.html", context)
