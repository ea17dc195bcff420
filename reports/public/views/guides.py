"""Pages every government site carries besides its content: the site map, how to subscribe,
and how to read the site in 关怀版, 繁體 or aloud."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.public.pages import public_page
from reports.public.queries import organizations_with_years


@public_page
def site_map(request):
    """The HTML 网站地图 for people (sitemap.xml stays for crawlers)."""
    context = {
        "organizations": organizations_with_years(),
        "breadcrumbs": [{"label": _("网站地图"), "url": None}],
    }
    return render(request, "reports/site_map.html", context)


@public_page
def subscribe(request):
    """What the Atom and RSS feeds are and how to follow them."""
    context = {
        "atom_url": request.build_absolute_uri(reverse("reports:feed")),
        "rss_url": request.build_absolute_uri(reverse("reports:feed_rss")),
        "breadcrumbs": [{"label": _("订阅"), "url": None}],
    }
    return render(request, "reports/subscribe.html", context)


@public_page
def accessibility(request):
    """How to enlarge the text, switch to 关怀版 or 繁體 and have an article read aloud."""
    context = {"breadcrumbs": [{"label": _("关怀版与无障碍说明"), "url": None}]}
    return render(request, "reports/accessibility.html", context)
