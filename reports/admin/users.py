"""Accounts and roles are the superusers' business alone.

Django's user and group admins follow model permissions, so anyone given
``auth.change_user`` could make themselves a superuser. Here the permissions do not
matter: only superusers see, add, change or delete users and groups.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group


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
    """Django's user admin, for superusers only."""


class RoleAdmin(SuperuserOnlyMixin, GroupAdmin):
    """Django's group admin (the roles 起草人, 审核人, 审计员), for superusers only."""


admin.site.unregister(get_user_model())
admin.site.unregister(Group)
admin.site.register(get_user_model(), AccountAdmin)
admin.site.register(Group, RoleAdmin)
