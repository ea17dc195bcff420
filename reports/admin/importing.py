"""The "导入报告" pages: paste a report or upload a file, check the structure, then save.

Two steps and nothing stored before the second ends in "save":

1. The form: organization, year, the text or a .txt/.docx/PDF file, and whether this is a
   legacy report brought over from an old site (only then is the old site's publish time
   kept). The file is read and parsed (``reports.importing``); a refusal is a form error.
2. The preview: the parsed structure — preamble, each section with its statutory kind,
   items, signatories and date, every warning and every discarded line — with controls
   to change a section's kind, merge or split at a paragraph and move a paragraph between
   preamble and body. Every control is a plain submit button, so the page needs no script.
   The structure travels between requests in a signed hidden field (``signing``, salted,
   expiring), so the clerk cannot alter it except through those controls, and the server
   keeps no state. "Save" writes the report in one transaction as revision 1.
"""

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.admin.forms import draftable_organizations
from reports.importing import edits
from reports.importing.sources import UPLOAD_SUFFIXES
from reports.importing.structure import ParsedReport, paragraphs
from reports.importing.writer import (
    ImportSource,
    ReportImportError,
    duplicated_kinds,
    import_source,
    publication_warnings,
    read_file,
    read_text,
)
from reports.models import SectionKind
from reports.numbering import chinese_numeral

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PREVIEW_SALT = "reports.admin.importing.preview"
PREVIEW_MAX_AGE = 24 * 60 * 60  # seconds: a preview left open overnight is read again


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("发布机构"), queryset=None)
    year = forms.IntegerField(
        label=gettext_lazy("报告年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy("留空则取标题中的年度，如“2019年度”。"),
    )
    text = forms.CharField(
        label=gettext_lazy("粘贴报告全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 80}),
        help_text=gettext_lazy(
            "从 Word、PDF 阅读器或旧网站页面复制全文粘贴到这里；网页上的栏目、按钮、页码等文字会被自动舍弃并列出。"
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("或上传文件"),
        required=False,
        help_text=gettext_lazy("支持 .txt、.docx 和 PDF（旧版 .doc 请先另存为 .docx 或导出为 PDF）。"),
    )
    legacy = forms.BooleanField(
        label=gettext_lazy("从旧网站迁移的已发布报告"),
        required=False,
        help_text=gettext_lazy(
            "仅当这份报告已在旧网站上发布、现迁移到本网时勾选：原文中的“发布时间”将作为原网站发布时间保留。"
            "不勾选时，原文中的发布时间只作提示，不会记录。"
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = draftable_organizations(user)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if PurePath(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(_("只能导入 .txt、.docx 或 PDF 文件。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB，请只保留报告正文后再上传。"))
        return upload

    def clean(self):
        cleaned = super().clean()
        has_text = bool(cleaned.get("text", "").strip())
        has_file = cleaned.get("file") is not None
        if has_text == has_file and not self.errors:
            raise forms.ValidationError(_("请粘贴报告全文或上传一个文件（二选一）。"))
        return cleaned


class PreviewForm(forms.Form):
    """The signed state of a preview; anything else in the request is a control."""

    state = forms.CharField(widget=forms.HiddenInput)

    def clean_state(self):
        try:
            return signing.loads(self.cleaned_data["state"], salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(_("预览已失效或被改动，请重新导入。")) from None


class ImportAdminMixin:
    """Adds the import pages to the report admin, at ``<admin>/reports/report/import/``."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view), name=name),
            path("import/preview/", self.admin_site.admin_view(self.import_preview_view), name=f"{name}_preview"),
        ]
        # Before the defaults, whose "<path:object_id>/" would match "import/".
        return urls + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                source = self._read(form.cleaned_data)
            except ReportImportError as error:
                form.add_error(None, error.message)
            else:
                state = {
                    "organization": form.cleaned_data["organization"].pk,
                    "year": form.cleaned_data["year"],
                    "legacy": form.cleaned_data["legacy"],
                    "source": {"name": source.name, "sha256": source.sha256},
                    "parsed": source.parsed.as_dict(),
                }
                return self._render_preview(request, state)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("导入报告"),
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/reports/report/import.html", context)

    def import_preview_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = PreviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("state", [])))
            return HttpResponseRedirect(self._import_url())
        state = form.cleaned_data["state"]
        organization = draftable_organizations(request.user).filter(pk=state["organization"]).first()
        if organization is None:
            raise PermissionDenied
        parsed = ParsedReport.from_dict(state["parsed"])
        action = request.POST.get("action", "")
        try:
            for index in range(len(parsed.sections)):
                if kind := request.POST.get(f"kind-{index}"):
                    edits.set_kind(parsed, index, kind)
            if action not in ("", "save", "refresh"):
                edits.apply(parsed, action)
        except edits.EditError as error:
            messages.error(request, str(error))
        state["parsed"] = parsed.as_dict()
        if action != "save":
            return self._render_preview(request, state)
        source = ImportSource(name=state["source"]["name"], sha256=state["source"]["sha256"], parsed=parsed)
        try:
            result = import_source(
                organization=organization, source=source, user=request.user, year=state["year"], legacy=state["legacy"]
            )
        except ReportImportError as error:
            messages.error(request, error.message)
            return self._render_preview(request, state)
        self._report_result(request, result)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[result.report.pk],
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(change_url)

    def _import_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import", current_app=self.admin_site.name)

    def _read(self, data) -> ImportSource:
        upload = data.get("file")
        if upload is not None:
            return read_file(name=upload.name, data=upload.read())
        return read_text(text=data["text"])

    def _render_preview(self, request, state: dict):
        parsed = ParsedReport.from_dict(state["parsed"])
        notes = publication_warnings(parsed, legacy=state["legacy"])
        if duplicated := duplicated_kinds(parsed):
            notes.append(
                _("“%(kinds)s”出现了不止一次，保存前请合并这些部分或把其中一个改为“其他”。")
                % {"kinds": "”“".join(duplicated)}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("核对导入的结构"),
            "state": signing.dumps(state, salt=PREVIEW_SALT, compress=True),
            "parsed": parsed,
            "preamble": paragraphs(parsed.preamble),
            "sections": _section_rows(parsed),
            "kinds": SectionKind.choices,
            "warnings": parsed.warnings + notes,
            "source": state["source"],
            "year": state["year"],
            "legacy": state["legacy"],
            "organization": draftable_organizations(request.user).filter(pk=state["organization"]).first(),
            "import_url": self._import_url(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/reports/report/import_preview.html", context)

    def _report_result(self, request, result) -> None:
        self.message_user(
            request,
            _("已导入为草稿“%(title)s”，请逐段核对后再提交审核。") % {"title": result.report},
            messages.SUCCESS,
        )
        if result.discarded_lines:
            self.message_user(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    _("以下 %(count)d 行是网页上的栏目或按钮文字，已舍弃：") % {"count": len(result.discarded_lines)},
                    format_html_join("", "<li>{}</li>", ((line,) for line in result.discarded_lines)),
                ),
                messages.INFO,
            )
        if result.warnings:
            self.message_user(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    _("请核对以下 %(count)d 处：") % {"count": len(result.warnings)},
                    format_html_join("", "<li>{}</li>", ((warning,) for warning in result.warnings)),
                ),
                messages.WARNING,
            )


def _section_rows(parsed: ParsedReport) -> list[dict]:
    """What the preview template shows of each section, with the indexes its buttons name."""
    rows = []
    for index, section in enumerate(parsed.sections):
        rows.append(
            {
                "index": index,
                "number": chinese_numeral(index + 1),
                "section": section,
                "intro": list(enumerate(paragraphs(section.intro))),
                "items": [
                    {
                        "index": position,
                        "item": item,
                        "body": list(enumerate(paragraphs(item.body))),
                        "children": [(child, paragraphs(child.body)) for child in item.children],
                    }
                    for position, item in enumerate(section.items)
                ],
            }
        )
    return rows
