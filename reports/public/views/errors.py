"""The error pages: the site's design for visitors, the admin's for staff pages, never Django's English defaults.

The 500 page is rendered without touching the database. 403 and 404 under the admin's
address use the admin's frame (with its menu, so staff can go on working); elsewhere the
public site's.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader

from reports.context_processors import site

logger = logging.getLogger(__name__)


def _is_admin(request) -> bool:
    return request.path.startswith(f"/{settings.ADMIN_PATH}/")


def _render(request, template: str, extra: dict | None = None) -> str:
    context = {**site(request), **(extra or {})}
    if _is_admin(request):
        template = f"admin/{template}"
        context.update(admin.site.each_context(request))
    return loader.get_template(template).render(context, request)


def page_not_found(request, exception):
    return HttpResponseNotFound(_render(request, "404.html", {"request_path": request.path}))


def permission_denied(request, exception):
    return HttpResponseForbidden(_render(request, "403.html"))


def server_error(request):
    try:
        html = loader.get_template("500.html").render({**site(request), "request": request})
    except Exception:
        # The error page must never fail; a bare page is better than a second traceback.
        logger.exception("the 500 page could not be rendered")
        html = '<!DOCTYPE html><html lang="zh-Hans"><title>500</title><h1>服务器错误（500）</h1></html>'
    return HttpResponseServerError(html)
