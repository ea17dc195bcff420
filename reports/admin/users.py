"""Accounts and roles are the superusers' business alone.

Django's user and group admins follow model permissions, so anyone given
``auth.change_user`` could make themselves a superuser. Here the permissions do not
matter: only superusers see, add, change or delete users and groups.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

PERMISSION_ACTIONS = {"add": _("增加"), "change": _("修改"), "delete": _("删除"), "view": _("查看")}


def permission_label(permission) -> str:
    """A permission in words: Django stores the default ones' names in English ("Can add report")."""
    model = permission.content_type.model_class()
    action, _separator, model_name = permission.codename.partition("_")
    if model is None:
        return permission.name
    name = permission.name
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = _("可%(action)s%(model)s") % {"action": PERMISSION_ACTIONS[action], "model": model._meta.verbose_name}
    return f"{model._meta.app_config.verbose_name} | {name}"


class PermissionsInWordsMixin:
    """The permission choices of users and roles, labelled in Chinese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.label_from_instance = permission_label
        return field


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, whose warning is an English string joined at import time, out of any catalogue's reach."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("禁用后，该用户现在的密码将不再有效。"),
    )


class AccountAdmin(PermissionsInWordsMixin, SuperuserOnlyMixin, UserAdmin):
    """Django's user admin, for superusers only, listing people by name and role in words."""

    change_password_form = PasswordChangeForm
    # Plain multiple selects: the two-box widget's markup fails screen readers (aria-label on a span).
    filter_horizontal = ()
    # Set by the system; as inputs they would be split date and time boxes with no labels.
    readonly_fields = ["last_login", "date_joined"]

    list_display = ["username", "display_name", "email", "role_names", "staff_text", "active_text"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("姓名"))
    def display_name(self, user):
        return user.get_full_name() or "—"

    @admin.display(description=_("角色"))
    def role_names(self, user):
        return "、".join(group.name for group in user.groups.all()) or "—"

    # Django shows booleans as an icon whose text is the English "True"/"False".
    @admin.display(description=_("可登录后台"), ordering="is_staff")
    def staff_text(self, user):
        return _("是") if user.is_staff else _("否")

    @admin.display(description=_("有效"), ordering="is_active")
    def active_text(self, user):
        return _("是") if user.is_active else _("否")


class RoleAdmin(PermissionsInWordsMixin, SuperuserOnlyMixin, GroupAdmin):
    """Django's group admin (the roles 起草人, 审核人, 审计员), for superusers only."""

    filter_horizontal = ()


admin.site.unregister(get_user_model())
admin.site.unregister(Group)
admin.site.register(get_user_model(), AccountAdmin)
admin.site.register(Group, RoleAdmin)
