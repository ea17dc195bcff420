"""The second-factor page: enrol an authenticator app, or enter its code after the password."""

import base64

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import record
from accounts.forms import TokenForm
from accounts.models import AuthEventKind
from accounts.two_factor import requires_second_factor


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _qr_code(device: TOTPDevice) -> str:
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@never_cache
def second_factor(request):
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    next_url = _next_url(request)
    if not requires_second_factor(user) or user.is_verified():
        return redirect(next_url)

    devices = list(django_otp.devices_for_user(user, confirmed=True))
    enrolling = not devices
    if enrolling:
        # Reuse the pending device so reloading the page does not change the QR code.
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        devices = [pending or TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)]

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = next(
            (
                device
                for device in devices
                if django_otp.verify_token(user, device.persistent_id, form.cleaned_data["token"])
            ),
            None,
        )
        if verified is not None:
            if enrolling:
                verified.confirmed = True
                verified.save(update_fields=["confirmed"])
                record(AuthEventKind.SECOND_FACTOR_ENROLLED, user=user, request=request)
            django_otp.login(request, verified)
            record(AuthEventKind.SECOND_FACTOR, user=user, request=request)
            return redirect(next_url)
        record(AuthEventKind.SECOND_FACTOR_FAILED, user=user, request=request)
        # django-otp slows guessing down: after each wrong code the device refuses all codes for a while.
        throttled = not any(device.verify_is_allowed()[0] for device in devices)
        form.add_error(
            "token",
            _("错误次数较多，请稍等片刻再输入新的验证码。")
            if throttled
            else _("动态验证码不正确或已过期，请重新输入。"),
        )

    context = {
        **admin.site.each_context(request),
        "title": _("绑定身份验证器") if enrolling else _("输入动态验证码"),
        "form": form,
        "next": next_url,
        "enrolling": enrolling,
    }
    if enrolling:
        context["qr_code"] = _qr_code(devices[0])
        context["secret"] = base64.b32encode(devices[0].bin_key).decode("ascii")
    return render(request, "accounts/second_factor.html", context)
