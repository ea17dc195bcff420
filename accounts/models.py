"""The security audit log: sign-ins, sign-outs, lockouts and permission changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import AppendOnlyModel


class AuthEventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    LOCKOUT = "lockout", _("账号或地址被锁定")
    SECOND_FACTOR = "second_factor", _("通过动态验证码验证")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("动态验证码错误")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("绑定身份验证器")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    PERMISSION_CHANGE = "permission_change", _("权限变更")


class AuthEvent(AppendOnlyModel):
    """One security-relevant event; append-only and never deleted automatically (kept well beyond 180 days).

    ``user`` and ``actor`` keep their ids without a database constraint, so the record
    survives the deletion of the account it is about.
    """

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=30, choices=AuthEventKind.choices)
    username = models.CharField(
        _("账号"), max_length=150, blank=True, help_text=_("事件涉及的账号（登录失败时为输入的用户名）。")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    forwarded_for = models.CharField(
        _("转发来源"),
        max_length=255,
        blank=True,
        help_text=_("请求的 X-Forwarded-For 头，原样记录（可被伪造，仅供核查）。"),
    )
    user_agent = models.CharField(_("浏览器"), max_length=255, blank=True)
    detail = models.TextField(_("详情"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("登录与权限记录")
        verbose_name_plural = _("登录与权限记录")
        indexes = [models.Index(fields=["user", "kind", "created_at"], name="accounts_event_user_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.username}"


class DemoAccount(models.Model):
    """Marks an account made by ``create_demo_accounts``: it signs in only in demo mode (DEBUG on).

    A database filled in demo mode may later run in production; its demo accounts, whose
    passwords were printed on a screen and kept in a file, must not open the back office
    there (``accounts.backends.AccountBackend``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="demo_account",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("演示账号")
        verbose_name_plural = _("演示账号")

    def __str__(self):
        return str(self.user)
