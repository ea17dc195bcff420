"""Every error of a refused save, listed at the top of the change page, each linking to its row.

Django's change page says only "请更正以下错误。" at the top, while an error in a section,
an item or an attachment shows thousands of pixels further down, and a refused upload
leaves an empty file field, so the clerk no longer knows which file was refused. The
summary names where each error is (一、… › （二）… › 正文) and, for an upload, the file.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports.numbering import item_number, section_number, subitem_number
from reports.uploads import display_name_from

# formset prefix + row: sections-0, sections-0-items-1, sections-0-items-1-children-2, attachments-0
_ROW = re.compile(r"(sections|items|children|attachments)-(\d+)")


@dataclass(frozen=True)
class ErrorLine:
    where: str
    message: str
    anchor: str


def _where(form) -> str:
    names = []
    for kind, index in _ROW.findall(form.prefix):
        position = int(index) + 1
        if kind == "sections":
            names.append(_("第%(number)s部分") % {"number": section_number(position).rstrip("、")})
        elif kind == "items":
            names.append(_("条目%(number)s") % {"number": item_number(position)})
        elif kind == "children":
            names.append(_("下级条目 %(number)s") % {"number": subitem_number(position)})
        else:
            names.append(_("附件 %(number)s") % {"number": position})
    heading = form.data.get(form.add_prefix("heading"), "").strip() if form.is_bound else ""
    if heading:
        names[-1] += f"（{heading[:30]}）"
    return " › ".join(names)


def _form_lines(form, where: str, anchor: str | None) -> list[ErrorLine]:
    """The errors of one form; ``anchor`` is its row's id, or None to link each field of the main form."""
    lines = [ErrorLine(where or _("报告"), message, anchor or "") for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        field = form.fields.get(name)
        field_anchor = anchor if anchor is not None else (form[name].id_for_label if field is not None else "")
        label = str(field.label) if field is not None and field.label else name
        upload = form.files.get(form.add_prefix(name)) if form.is_bound else None
        for message in errors:
            if upload is not None:
                message = _("“%(file)s”未能上传：%(error)s") % {
                    "file": display_name_from(upload.name),
                    "error": message,
                }
            lines.append(ErrorLine(f"{where} › {label}" if where else label, message, field_anchor))
    return lines


def _formset_lines(formset) -> list[ErrorLine]:
    lines = [
        ErrorLine(str(formset.model._meta.verbose_name_plural), message, "") for message in formset.non_form_errors()
    ]
    for form in formset.forms:
        lines += _form_lines(form, _where(form), form.prefix)
        for nested in getattr(form, "nested_formsets", []):
            lines += _formset_lines(nested)
    return lines


def error_summary(form, inline_admin_formsets) -> list[ErrorLine]:
    """The errors of the report's form and of all its inline rows, nested ones included, in page order."""
    lines = _form_lines(form, "", None)
    for inline_admin_formset in inline_admin_formsets:
        lines += _formset_lines(inline_admin_formset.formset)
    return lines


class ErrorSummaryAdminMixin:
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if context.get("errors"):
            context["error_summary"] = error_summary(
                context["adminform"].form, context.get("inline_admin_formsets", [])
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
