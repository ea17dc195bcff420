"""The annual duty in templates: the admin home's own-unit lines and the way to the public record."""

from django import template
from django.urls import reverse

from reports.duty.deadlines import current_year
from reports.duty.status import duty_rows
from reports.models import Organization
from reports.roles import clerk_organizations, duty_organizations, reviewed_organizations

register = template.Library()


@register.simple_tag
def disclosure_url() -> str:
    """The 公开情况 page of the year whose deadline is next."""
    return reverse("reports:disclosure", args=[current_year()])


@register.inclusion_tag("admin/reports/duty/_own_lines.html", takes_context=True)
def own_duty_lines(context) -> dict:
    """This cycle's line of each unit the signed-in clerk or editor works for, with the days left."""
    user = context["request"].user
    # The units they draft or review as members, not every unit a 审核所有单位 editor covers.
    own = Organization.objects.filter(pk__in=clerk_organizations(user).values("pk")) | Organization.objects.filter(
        pk__in=reviewed_organizations(user).filter(editors=user).values("pk")
    )
    year = current_year()
    return {
        "rows": duty_rows(year, organizations=own.distinct()) if user.is_active and user.is_staff else [],
        "year": year,
        "dashboard_url": reverse("admin:reports_organization_duty") if duty_organizations(user).exists() else None,
    }
