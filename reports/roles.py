"""Who may do what to which report: the one place the portal's roles are defined.

Roles are Django groups created by a data migration. Organisation membership decides
*which* reports a clerk or an editor works on.
"""

from django.contrib.auth.models import AnonymousUser

CLERK_GROUP = "起草人"
EDITOR_GROUP = "审核人"
AUDITOR_GROUP = "审计员"

# Codenames each group receives (app label "reports" unless qualified).
GROUP_PERMISSIONS = {
    CLERK_GROUP: [
        "view_report",
        "add_report",
        "change_report",
        "view_section",
        "add_section",
        "change_section",
        "delete_section",
        "view_item",
        "add_item",
        "change_item",
        "delete_item",
        "view_attachment",
        "add_attachment",
        "change_attachment",
        "delete_attachment",
        "view_revision",
        "view_workflowevent",
        "taggit.view_tag",
        "taggit.add_tag",
    ],
    EDITOR_GROUP: [
        "view_report",
        "add_report",
        "change_report",
        "review_report",
        "view_section",
        "add_section",
        "change_section",
        "delete_section",
        "view_item",
        "add_item",
        "change_item",
        "delete_item",
        "view_attachment",
        "add_attachment",
        "change_attachment",
        "delete_attachment",
        "view_revision",
        "view_workflowevent",
        "view_organization",
        "taggit.view_tag",
        "taggit.add_tag",
    ],
    AUDITOR_GROUP: [
        "view_report",
        "view_all_reports",
        "view_section",
        "view_item",
        "view_attachment",
        "view_revision",
        "view_workflowevent",
        "view_organization",
        "taggit.view_tag",
    ],
}


def in_group(user, name: str) -> bool:
    if isinstance(user, AnonymousUser) or not user.is_active:
        return False
    return user.groups.filter(name=name).exists()


def is_auditor(user) -> bool:
    return in_group(user, AUDITOR_GROUP) and not user.is_superuser


def is_clerk_for(user, organization) -> bool:
    return user.is_active and organization.clerks.filter(pk=user.pk).exists()


def is_editor_for(user, organization) -> bool:
    """Editors review the organisations they cover, or all of them with ``review_all_organizations``."""
    if not user.is_active or not user.has_perm("reports.review_report"):
        return False
    return user.has_perm("reports.review_all_organizations") or organization.editors.filter(pk=user.pk).exists()


def can_draft_for(user, organization) -> bool:
    return not is_auditor(user) and (is_clerk_for(user, organization) or is_editor_for(user, organization))


def can_view(user, report) -> bool:
    """Whether a staff member may see this report in the admin (see ``ReportQuerySet.visible_to``)."""
    return type(report).objects.visible_to(user).filter(pk=report.pk).exists()
