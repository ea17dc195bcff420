"""Accounts and roles are the superusers' business alone.

Django's user and group admins follow model permissions, so anyone given
``auth.change_user`` could make themselves a superuser. Here the permissions do not
matter: only superusers see, add, change or delete users and groups.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _


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


class AccountAdmin(SuperuserOnlyMixin, UserAdmin):
    """Django's user admin, for superusers only, listing people by name and role in words."""

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


class RoleAdmin(SuperuserOnlyMixin, GroupAdmin):
    """Django's group admin (the roles 起草人, 审核人, 审计员), for superusers only."""


admin.site.unregister(get_user_model())
admin.site.unregister(Group)
admin.site.register(get_user_model(), AccountAdmin)
admin.site.register(Group, RoleAdmin)
