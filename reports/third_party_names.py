"""Chinese names for what the admin shows of the third-party apps: login lockouts (django-axes),
second-factor devices (django-otp) and tags (django-taggit).

These apps name some of their apps, models and fields with plain English strings that no
translation catalogue can reach (the translatable ones are in locale/zh_Hans). Their names
are metadata read when a page is drawn, so they are set here once, when the apps are ready;
no database column and no migration depends on them.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("登录锁定"),
    "otp_totp": _("双因素认证：身份验证器"),
    "otp_static": _("双因素认证：备用验证码"),
    "taggit": _("标签"),
}
# (app label, model name): (verbose name, verbose name plural, {field: verbose name})
MODEL_NAMES = {
    ("otp_totp", "totpdevice"): (
        _("身份验证器"),
        _("身份验证器"),
        {
            "user": _("用户"),
            "name": _("名称"),
            "confirmed": _("已确认"),
            "key": _("密钥"),
            "step": _("时间步长"),
            "t0": _("起始时间"),
            "digits": _("位数"),
            "tolerance": _("容差"),
            "drift": _("时钟偏差"),
            "last_t": _("最近使用的时间步"),
            "throttling_failure_timestamp": _("最近失败时间"),
            "throttling_failure_count": _("连续失败次数"),
            "created_at": _("创建时间"),
            "last_used_at": _("最近使用时间"),
        },
    ),
    ("otp_static", "staticdevice"): (
        _("备用验证码组"),
        _("备用验证码组"),
        {
            "user": _("用户"),
            "name": _("名称"),
            "confirmed": _("已确认"),
            "throttling_failure_timestamp": _("最近失败时间"),
            "throttling_failure_count": _("连续失败次数"),
            "created_at": _("创建时间"),
            "last_used_at": _("最近使用时间"),
        },
    ),
    ("otp_static", "statictoken"): (_("备用验证码"), _("备用验证码"), {"device": _("设备"), "token": _("验证码")}),
}


def name_third_party_models() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (label, model_name), (singular, plural, fields) in MODEL_NAMES.items():
        try:
            model = apps.get_model(label, model_name)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        for field_name, verbose_name in fields.items():
            model._meta.get_field(field_name).verbose_name = verbose_name
    from taggit.admin import TagAdmin

    TagAdmin.render_tag_form.short_description = _("合并所选标签")
