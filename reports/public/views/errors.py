"""The 500 page in the site's design, rendered without touching the database."""

import logging

from django.http import HttpResponseServerError
from django.template import loader

from reports.context_processors import site

logger = logging.getLogger(__name__)


def server_error(request):
    try:
        html = loader.get_template("500.html").render({**site(request), "request": request})
    except Exception:
        # The error page must never fail; a bare page is better than a second traceback.
        logger.exception("the 500 page could not be rendered")
        html = '<!DOCTYPE html><html lang="zh-Hans"><title>500</title><h1>服务器错误（500）</h1></html>'
    return HttpResponseServerError(html)
