"""/favicon.ico, which browsers, feed readers and chat apps ask for whatever the page links."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control


@cache_control(public=True, max_age=24 * 60 * 60)
def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
