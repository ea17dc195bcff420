"""Forms of the report admin: the report itself and the formsets of its sections and items.

Kept apart from ``report.py`` so other concerns (uploads, workflow) can extend them.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from nested_admin.formsets import NestedInlineFormSet

from reports.models import Organization, Report, Section, SectionKind
from reports.roles import clerk_organizations, reviewed_organizations
from reports.sanitize import plain_text


def _constraint_message(model, name: str) -> str:
    """The message a named database constraint gives, so a form says exactly the same."""
    return next(constraint for constraint in model._meta.constraints if constraint.name == name).violation_error_message


def draftable_organizations(user):
    """Organizations ``user`` may start a report for (the add form's choices): ``can_draft_for`` as one query."""
    return Organization.objects.filter(
        Q(pk__in=clerk_organizations(user).values("pk")) | Q(pk__in=reviewed_organizations(user).values("pk"))
    )


class ReportForm(forms.ModelForm):
    """The report's own fields, plus the version the page was loaded with (optimistic locking)."""

    expected_version = forms.IntegerField(
        label=gettext_lazy("打开本页时的版本号"), widget=forms.HiddenInput, required=False
    )
    change_comment = forms.CharField(
        label=gettext_lazy("修改说明"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("可不填；填写后记入历史版本，方便审核人了解改了什么。"),
    )

    class Meta:
        model = Report
        fields = [
            "organization",
            "year",
            "title",
            "preamble",
            "signatories",
            "signing_date",
            "source",
            "disclosure_mode",
            "topic_category",
            "tags",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean_tags(self) -> list[str]:
        # Tags are shown on public pages: no markup, like titles.
        return [name for name in (plain_text(tag) for tag in self.cleaned_data["tags"]) if name]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        if cleaned.get("expected_version") != self.instance.version:
            raise forms.ValidationError(
                _(
                    "这份报告在您打开之后已被他人修改（可能是修改内容或流程状态）。您填写的内容尚未保存，请复制后重新打开本页。"
                ),
                code="stale",
            )
        year = cleaned.get("year")
        # The organization is read-only here, so the model's own unique check skips it.
        if (
            year
            and Report.objects.filter(organization=self.instance.organization_id, year=year)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("year", _constraint_message(Report, "reports_one_report_per_org_year"))
        return cleaned


class SectionFormSet(NestedInlineFormSet):
    def clean(self):
        super().clean()
        # The database constraint only sees saved rows; two new rows of one kind must be caught here.
        seen = set()
        required = set(SectionKind.required())
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            kind = form.cleaned_data.get("kind")
            if kind in required and kind in seen:
                form.add_error("kind", _constraint_message(Section, "reports_required_section_once_per_report"))
            seen.add(kind)


class SubItemFormSet(NestedInlineFormSet):
    """The sub-items (1. 2. …) of an item: they belong to the item's section too."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.section_id = self.instance.section_id
        return form

    def save_new(self, form, commit=True):
        form.instance.section_id = self.instance.section_id
        return super().save_new(form, commit=commit)
