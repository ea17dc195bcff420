"""Who may do what to which report: the one place the portal's roles are defined.

Roles are Django groups created by data migrations; a role is recognised by the
permission it grants (``reports.audit_reports``, ``reports.review_report``), never by the
group's name, which a superuser may change. Organisation membership decides *which*
reports a clerk or an editor works on.
"""

from django.contrib.auth.models import AnonymousUser

from reports.models import Organization

CLERK_GROUP = "起草人"
EDITOR_GROUP = "审核人"
AUDITOR_GROUP = "审计员"
# Created by migration 0006 (self-contained); recognised by its permission, never by this name.
INSPECTOR_GROUP = "督察员"

# Codenames each group receives (app label "reports" unless qualified).
_DRAFTING = [
    "view_report",
    "add_report",
    "change_report",
    *(f"{verb}_{model}" for model in ("section", "item", "attachment") for verb in ("view", "add", "change", "delete")),
    "view_revision",
    "view_workflowevent",
    "taggit.view_tag",
    "taggit.add_tag",
]
GROUP_PERMISSIONS = {
    CLERK_GROUP: _DRAFTING,
    EDITOR_GROUP: [*_DRAFTING, "review_report", "view_organization"],
    AUDITOR_GROUP: [
        "audit_reports",
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


def install_groups(group_model, permission_model) -> None:
    """Create the role groups with their current permissions (for a database flushed by tests or by hand)."""
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = []
        for qualified in codenames:
            app_label, _, codename = qualified.rpartition(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label or "reports", codename=codename)
            )
        group.permissions.set(permissions)


def is_auditor(user) -> bool:
    """Auditors are read-only everywhere, whatever else they have been given."""
    if isinstance(user, AnonymousUser) or not user.is_active or user.is_superuser:
        return False
    return user.has_perm("reports.audit_reports")


def is_clerk_for(user, organization) -> bool:
    return user.is_active and not is_auditor(user) and organization.clerks.filter(pk=user.pk).exists()


def _reviews_all(user) -> bool:
    return user.has_perm("reports.review_all_organizations")


def _is_editor(user) -> bool:
    return user.is_active and user.has_perm("reports.review_report") and not is_auditor(user)


def is_editor_for(user, organization) -> bool:
    """Editors review the organisations they cover, or all of them with ``review_all_organizations``."""
    if not _is_editor(user):
        return False
    return _reviews_all(user) or organization.editors.filter(pk=user.pk).exists()


def can_draft_for(user, organization) -> bool:
    return is_clerk_for(user, organization) or is_editor_for(user, organization)


def clerk_organizations(user):
    """Organisations whose reports ``user`` drafts as a clerk."""
    if not user.is_active or is_auditor(user):
        return Organization.objects.none()
    return Organization.objects.filter(clerks=user)


def reviewed_organizations(user):
    """Organisations whose reports ``user`` reviews (the queryset twin of ``is_editor_for``)."""
    if not _is_editor(user):
        return Organization.objects.none()
    if _reviews_all(user):
        return Organization.objects.all()
    return Organization.objects.filter(editors=user)


def is_inspector(user) -> bool:
    """督察员 of the rule-of-law office: they follow their units' reports and change nothing in them."""
    return user.is_active and user.has_perm("reports.inspect_reports")


def inspected_organizations(user):
    """Organisations whose reporting ``user`` inspects: those they are attached to, and every unit below."""
    return Organization.objects.inspected_by(user)


def duty_organizations(user):
    """Units whose line of the annual-duty dashboard ``user`` may see.

    Everyone who reads all reports sees every unit; otherwise a person sees the units they
    inspect, review or draft for, and nothing of any other unit.
    """
    if not user.is_active or not user.is_staff:
        return Organization.objects.none()
    if user.has_perm("reports.view_all_reports") or _reviews_all(user):
        return Organization.objects.all()
    pks = {
        *inspected_organizations(user).values_list("pk", flat=True),
        *reviewed_organizations(user).values_list("pk", flat=True),
        *clerk_organizations(user).values_list("pk", flat=True),
    }
    return Organization.objects.filter(pk__in=pks)


def can_view(user, report) -> bool:
    """Whether a staff member may see this report in the admin (see ``ReportQuerySet.visible_to``)."""
    return type(report).objects.visible_to(user).filter(pk=report.pk).exists()


def may_edit_wordlists(user) -> bool:
    """Editors keep the pre-publication checks' word lists; clerks and auditors do not."""
    return _is_editor(user)


def may_read_wordlists(user) -> bool:
    """Editors and auditors (who read everything) may read the word lists and their change log."""
    return may_edit_wordlists(user) or (user.is_active and user.has_perm("reports.view_all_reports"))


def may_edit_synonyms(user) -> bool:
    """Editors keep the search synonyms; clerks and auditors do not."""
    return _is_editor(user)


def may_read_search(user) -> bool:
    """Editors and auditors may read the search synonyms and what residents searched for."""
    return may_edit_synonyms(user) or (user.is_active and user.has_perm("reports.view_all_reports"))


def correction_organizations(user):
    """Organisations whose residents' error reports (纠错) ``user`` may read.

    Editors read those of the units they review (and answer them); auditors and
    superusers read all of them. Clerks see none: answering residents is the editors' job.
    """
    if not user.is_active or not user.is_staff:
        return Organization.objects.none()
    if user.is_superuser or user.has_perm("reports.view_all_reports"):
        return Organization.objects.all()
    return reviewed_organizations(user)
