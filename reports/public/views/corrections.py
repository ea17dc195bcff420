"""我要纠错: a resident tells the editors of a report's unit what is wrong on its page.

The form lives on its own page, not on the article, because it carries a CSRF token and
the article must stay the same for every reader (reports/public/middleware.py). What a
resident sends is stored for the editors of that unit and is never shown publicly.

Spam is held off without any outside service: a field people never see (a bot that fills
every field gives itself away and is thanked without anything being stored), a limit on
reports per address (``CORRECTION_RATE_LIMIT`` per ``CORRECTION_RATE_WINDOW_MINUTES``,
counted in the cache) and size limits on every field.
"""

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.client import client_ip
from reports import services
from reports.models import Correction, Revision
from reports.public.queries import public_report
from reports.sanitize import remove_unsafe_characters


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("哪里有错"),
        min_length=5,
        max_length=Correction.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("请写明错误在哪一部分、哪句话，以及正确的内容（%(limit)s 字以内）。")
        % {"limit": Correction.TEXT_MAX_LENGTH},
        error_messages={
            "required": gettext_lazy("请写下您发现的错误。"),
            "min_length": gettext_lazy("请多写几个字，说明错在哪里。"),
            "max_length": gettext_lazy("内容太长，请不要超过 %(limit_value)d 字。"),
        },
    )
    contact = forms.CharField(
        label=gettext_lazy("联系方式（选填）"),
        required=False,
        max_length=Correction.CONTACT_MAX_LENGTH,
        help_text=gettext_lazy("电话或电子邮箱，只用于向您核实情况或答复。"),
        error_messages={"max_length": gettext_lazy("联系方式太长，请不要超过 %(limit_value)d 个字符。")},
    )
    # The trap: hidden from people by the stylesheet, filled in only by bots.
    website = forms.CharField(label=gettext_lazy("请勿填写此项"), required=False, max_length=200)

    def clean_text(self):
        return remove_unsafe_characters(self.cleaned_data["text"]).strip()

    def clean_contact(self):
        return " ".join(remove_unsafe_characters(self.cleaned_data["contact"]).split())

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def _within_rate_limit(request) -> bool:
    """Count this attempt against the sender's address; False once over the limit."""
    store = caches["default"]
    key = f"correction-rate:{client_ip(request) or 'unknown'}"
    window = settings.CORRECTION_RATE_WINDOW_MINUTES * 60
    store.add(key, 0, window)
    try:
        count = store.incr(key)
    except ValueError:  # expired between add() and incr()
        store.set(key, 1, window)
        count = 1
    return count <= settings.CORRECTION_RATE_LIMIT


@never_cache
def correction(request, year: int, org: str):
    report = public_report(year=year, org=org)
    if report is None:
        raise Http404(_("没有找到这份报告。"))
    article_url = reverse("reports:report_detail", kwargs={"year": year, "org": org})
    title = Revision.objects.values_list("title", flat=True).get(pk=report.public_revision_id)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not _within_rate_limit(request):
            status = 429
            form.add_error(
                None, _("您提交得太频繁了，请稍后再试；急事请拨打 %(phone)s。") % {"phone": settings.PORTAL_CONTACT}
            )
        elif form.is_valid():
            if not form.is_bot:
                services.submit_correction(
                    report_id=report.id,
                    revision_id=report.public_revision_id,
                    page_url=request.build_absolute_uri(article_url),
                    text=form.cleaned_data["text"],
                    contact=form.cleaned_data["contact"],
                )
            return HttpResponseRedirect(f"{request.path}?sent=1")
    context = {
        "form": form,
        "title": title,
        "article_url": article_url,
        "sent": request.method == "GET" and request.GET.get("sent") == "1",
        "retention_days": settings.CORRECTION_RETENTION_DAYS,
        "breadcrumbs": [
            {"label": _("法治政府建设"), "url": reverse("reports:report_list")},
            {"label": title, "url": article_url},
            {"label": _("我要纠错"), "url": None},
        ],
    }
    return render(request, "reports/correction.html", context, status=status)
