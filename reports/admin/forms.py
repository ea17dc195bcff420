"""Forms of the report admin: the report itself and the formsets of its sections, items and attachments.

Kept apart from ``report.py`` so other concerns (uploads, workflow) can extend them.
"""

from django import forms
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from nested_admin.formsets import NestedInlineFormSet, mutable_querydict

from reports.models import Item, Organization, Report, Section, SectionKind
from reports.roles import clerk_organizations, reviewed_organizations
from reports.sanitize import clean_tag_name


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
        # Tags are shown on public pages and name addresses there: plain text, no separators.
        names, errors = [], []
        for tag in self.cleaned_data["tags"]:
            try:
                names.append(clean_tag_name(tag))
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return [name for name in names if name]

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


def _report_id_of(parent) -> int | None:
    """The report a formset's parent object (a report, a section or an item) belongs to, if it has one yet."""
    if isinstance(parent, Report):
        return parent.pk
    if isinstance(parent, Item):
        if Item.section.is_cached(parent):
            parent = parent.section
        elif parent.section_id:
            return Section.objects.filter(pk=parent.section_id).values_list("report_id", flat=True).first()
        else:
            return None
    return parent.report_id if isinstance(parent, Section) else None


class ReportRowsFormSet(NestedInlineFormSet):
    """An inline formset whose rows are those of the report being edited, and only those.

    nested-admin looks a posted row id up among all rows of the model, so that a row
    dragged from one section to another keeps its id. Left at that, a crafted form could
    move another unit's sections or items into this report, or delete its attachments.
    Rows may still move between sections, but never between reports: an id that names
    no row of this report is a form error, for rows marked for deletion too (whose
    errors a formset otherwise ignores), and saving checks each row again.
    """

    # From a row of the formset's model to its report.
    report_lookup = "report"

    @cached_property
    def empty_form(self):
        # Django builds the blank row anew on each access, and the admin's templates ask for it
        # each time they walk a formset: 190 times on a change page of twenty rows, a quarter
        # of its render. The blank row is the same every time.
        return super().empty_form

    def report_rows(self) -> QuerySet:
        """The rows this formset may change: those of the report being edited."""
        report_id = _report_id_of(self.instance)
        if report_id is None:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(**{self.report_lookup: report_id})

    def get_queryset(self):
        if not self.data:
            return super().get_queryset()
        return super().get_queryset().filter(pk__in=self.report_rows().values("pk"))

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields:
            form.fields[pk_name].queryset = self.report_rows()

    def clean(self):
        super().clean()
        pk_name = self.model._meta.pk.name
        posted = {self.data.get(form.add_prefix(pk_name)) for form in self.forms} - {None, ""}
        ids = [int(value) for value in posted if value.isascii() and value.isdigit()]
        allowed = {str(pk) for pk in self.report_rows().filter(pk__in=ids).values_list("pk", flat=True)}
        if posted - allowed:
            raise forms.ValidationError(
                _("表单中有不属于这份报告的内容，未作任何修改。请重新打开本页后再编辑。"), code="foreign_row"
            )

    def full_clean(self):
        super().full_clean()
        self._rank_posted_positions()

    def _rank_posted_positions(self) -> None:
        """Give each posted row a distinct whole-number position, keeping the posted order.

        A page re-shown with errors lists the rows sorted by their posted positions, and
        nested-admin's sort fails on two equal ones or on one that is no number. Ties keep
        the rows' order on the page, as saving would (``process_forms_pre_save`` sorts
        stably and renumbers); errors were found before this, so a bad value is still
        reported. The instance and cleaned data follow, so a save stores these positions.
        """
        field = getattr(self, "sortable_field_name", None)
        if not field or not self.is_bound:
            return
        posted = [(form, form.data.get(form.add_prefix(field))) for form in self.forms]
        posted = [(form, value) for form, value in posted if value and value != "-1"]

        def position(entry):
            value = entry[1].strip()
            number = int(value) if value.lstrip("-").isascii() and value.lstrip("-").isdigit() else None
            return (number is None, number or 0)

        with mutable_querydict(self.data):
            for rank, (form, _value) in enumerate(sorted(posted, key=position)):
                self.data[form.add_prefix(field)] = str(rank)
                setattr(form.instance, field, rank)
                if field in getattr(form, "cleaned_data", {}):
                    form.cleaned_data[field] = rank
                form.__dict__.pop("changed_data", None)

    def _require_own(self, obj) -> None:
        if obj.pk is None or not self.report_rows().filter(pk=obj.pk).exists():
            raise SuspiciousOperation(f"{self.model.__name__} {obj.pk} is not a row of the report being saved")

    def save_existing(self, form, obj, commit=True):
        self._require_own(obj)
        return super().save_existing(form, obj, commit=commit)

    def delete_existing(self, obj, commit=True):
        self._require_own(obj)
        return super().delete_existing(obj, commit=commit)


class ItemFormSet(ReportRowsFormSet):
    report_lookup = "section__report"


class AttachmentFormSet(ReportRowsFormSet):
    """The working copy's files. A stored file never changes or disappears under its id.

    A published or restorable revision may name the file (by id and SHA-256), and the
    public keeps downloading it until a revision without it is published. So removing a
    row detaches it, and uploading over a row detaches it and stores the new file as a
    new row. The admin always saves with ``commit=True``.
    """

    def report_rows(self) -> QuerySet:
        return super().report_rows().attached()

    def save_existing(self, form, obj, commit=True):
        if "file" not in form.changed_data:
            return super().save_existing(form, obj, commit=commit)
        self._require_own(obj)
        obj.detach()
        form.instance.pk = None
        form.instance._state.adding = True
        return self.save_new(form, commit=commit)

    def delete_existing(self, obj, commit=True):
        self._require_own(obj)
        obj.detach()


class SectionFormSet(ReportRowsFormSet):
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


class SubItemFormSet(ItemFormSet):
    """The sub-items (1. 2. …) of an item: they belong to the item's section too."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.section_id = self.instance.section_id
        return form

    def save_new(self, form, commit=True):
        form.instance.section_id = self.instance.section_id
        return super().save_new(form, commit=commit)
