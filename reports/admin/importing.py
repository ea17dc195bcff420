"""The "从文本导入" page: paste a report or upload a .txt/.docx file to start a new draft.

The importer does the work (``reports.importer``); this page chooses the organization,
shows refusals as form errors, and after a successful import opens the new draft's
change page with the lines that were discarded as page chrome and the parser's warnings.
"""

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.admin.forms import draftable_organizations
from reports.importer import ReportImportError, import_text, import_upload

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_SUFFIXES = {".txt", ".docx"}


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
        help_text=gettext_lazy("从 Word 或旧网站页面复制全文粘贴到这里；网页上的栏目、按钮等文字会被自动舍弃并列出。"),
    )
    file = forms.FileField(
        label=gettext_lazy("或上传文件"),
        required=False,
        help_text=gettext_lazy("支持 .txt 和 .docx（旧版 .doc 请先另存为 .docx）。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = draftable_organizations(user)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if PurePath(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(_("只能导入 .txt 或 .docx 文件。"))
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


class ImportAdminMixin:
    """Adds the import page to the report admin, at ``<admin>/reports/report/import/``."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        urls = [path("import/", self.admin_site.admin_view(self.import_view), name=name)]
        # Before the defaults, whose "<path:object_id>/" would match "import/".
        return urls + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                result = self._import(request, form.cleaned_data)
            except ReportImportError as error:
                form.add_error(None, error.message)
            else:
                self._report_result(request, result)
                change_url = reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[result.report.pk],
                    current_app=self.admin_site.name,
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("从文本导入报告"),
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/reports/report/import.html", context)

    def _import(self, request, data):
        common = {"organization": data["organization"], "user": request.user, "year": data["year"]}
        upload = data.get("file")
        if upload is not None:
            return import_upload(name=upload.name, data=upload.read(), **common)
        return import_text(text=data["text"], source_name=_("粘贴的文本"), **common)

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
