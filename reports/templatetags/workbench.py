"""The 工作台 on the admin's home page and the unread count in the admin's header (reports/admin/workbench.py)."""

from django import template

from reports.admin.workbench import recent_events, workbench_context
from reports.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench(context) -> dict:
    """``{% workbench as bench %}``: the queues and notifications of the person signed in."""
    return workbench_context(context["request"].user)


@register.simple_tag(takes_context=True)
def recent_activity(context) -> list:
    """``{% recent_activity as events %}``: the latest workflow steps on reports the person may see."""
    return recent_events(context["request"].user)


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many of the signed-in person's notifications are unread."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user).unread().count()
