"""The small confirmation forms behind the workflow buttons; each hands its input to one service.

The services check permission, state and required input again under the row lock, so
these forms only make the page helpful (required fields, a date picker); they decide nothing.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports import services

COMMENT_ROWS = {"rows": 4, "cols": 60}


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs=COMMENT_ROWS),
        help_text=_("可不填；例如这次修改了哪些内容，审核人会在通知和历史记录中看到。"),
    )

    def apply(self, *, report, user):
        services.submit_for_review(report=report, user=user, comment=self.cleaned_data["comment"])


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("退回意见"),
        widget=forms.Textarea(attrs=COMMENT_ROWS),
        help_text=_("必填。写明需要修改的地方；起草人在报告页顶部和站内通知中都能看到。"),
    )

    def apply(self, *, report, user):
        services.return_for_revision(report=report, user=user, comment=self.cleaned_data["comment"])


class ApproveForm(forms.Form):
    secrecy_checked = forms.BooleanField(
        label=_("我已完成保密审查，报告不含国家秘密、工作秘密和个人隐私，可以公开"),
        error_messages={"required": _("审核通过前必须确认已完成保密审查。")},
    )
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs=COMMENT_ROWS))

    def apply(self, *, report, user):
        services.approve(
            report=report,
            user=user,
            secrecy_checked=self.cleaned_data["secrecy_checked"],
            comment=self.cleaned_data["comment"],
        )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("发布说明"),
        required=False,
        widget=forms.Textarea(attrs=COMMENT_ROWS),
        help_text=_("可不填；更正后重新发布时，可在此写明更正了什么。"),
    )
    note_is_public = forms.BooleanField(label=_("向公众显示发布说明"), required=False)

    def apply(self, *, report, user):
        services.publish(
            report=report,
            user=user,
            note=self.cleaned_data["note"],
            note_is_public=self.cleaned_data["note_is_public"],
        )


class ScheduleForm(PublishForm):
    at = forms.DateTimeField(
        label=_("发布时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("北京时间，必须晚于现在。到时报告自动公开，公众看到的发布时间就是这个时间。"),
    )

    field_order = ["at", "note", "note_is_public"]

    def apply(self, *, report, user):
        services.publish(
            report=report,
            user=user,
            at=self.cleaned_data["at"],
            note=self.cleaned_data["note"],
            note_is_public=self.cleaned_data["note_is_public"],
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        widget=forms.Textarea(attrs=COMMENT_ROWS),
        help_text=_("必填，记入历史记录。"),
    )
    reason_is_public = forms.BooleanField(
        label=_("向公众显示原因"),
        required=False,
        help_text=_("勾选后，公众打开原网址时会看到撤回原因；不勾选则只显示已撤回及撤回时间。"),
    )

    def apply(self, *, report, user):
        services.withdraw(
            report=report,
            user=user,
            reason=self.cleaned_data["reason"],
            reason_is_public=self.cleaned_data["reason_is_public"],
        )


class ReportUpwardForm(forms.Form):
    sent_on = forms.DateField(
        label=_("报送日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("报告报送上级机关的日期，不能晚于今天。"),
    )
    document_number = forms.CharField(
        label=_("文号"), max_length=100, help_text=_("报送文件的文号，如“揭东磐府〔2021〕5号”。")
    )
    comment = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs=COMMENT_ROWS))

    def apply(self, *, report, user):
        services.report_upward(
            report=report,
            user=user,
            sent_on=self.cleaned_data["sent_on"],
            document_number=self.cleaned_data["document_number"],
            comment=self.cleaned_data["comment"],
        )
