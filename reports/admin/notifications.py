"""我的通知: each person's in-app workflow notifications, listed for them alone and marked read on request."""

from django.contrib import admin, messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.models import Notification


class ReadFilter(admin.SimpleListFilter):
    title = gettext_lazy("阅读状态")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("未读")), ("yes", _("已读"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Every staff member reads their own notifications; nobody adds, changes or deletes any."""

    list_display = ["created_at", "report_link", "text", "read_state"]
    list_display_links = None
    list_filter = [ReadFilter]
    actions = ["mark_read"]
    list_per_page = 50

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        # Only the list: a notification has no page of its own, and nothing to add or change.
        changelist = [url for url in super().get_urls() if url.name == "{}_{}_changelist".format(*info)]
        return [
            path(
                "mark-all-read/",
                self.admin_site.admin_view(self.mark_all_read_view),
                name="{}_{}_mark_all_read".format(*info),
            ),
            *changelist,
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user).select_related("report")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("报告"))
    def report_link(self, notification):
        url = reverse("admin:reports_report_change", args=[notification.report_id])
        return format_html('<a href="{}">{}</a>', url, notification.report)

    @admin.display(description=gettext_lazy("状态"))
    def read_state(self, notification):
        return _("未读") if notification.read_at is None else _("已读")

    @admin.action(description=gettext_lazy("将所选通知标为已读"))
    def mark_read(self, request, queryset):
        marked = queryset.filter(read_at__isnull=True).update(read_at=timezone.now())
        self.message_user(request, _("已将 %(count)s 条通知标为已读。") % {"count": marked}, messages.SUCCESS)

    def mark_all_read_view(self, request):
        """Mark every unread notification of the person asking as read (a POST from the 工作台)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        marked = self.get_queryset(request).filter(read_at__isnull=True).update(read_at=timezone.now())
        self.message_user(request, _("已将 %(count)s 条通知标为已读。") % {"count": marked}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:index", current_app=self.admin_site.name))
