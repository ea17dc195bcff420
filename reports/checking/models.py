"""What the pre-publication checks keep: word lists and their change log, ignores, link results, public findings.

Imported by ``reports.models`` so Django registers these models with the ``reports`` app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import AppendOnlyModel, Report, Revision


class Severity(models.TextChoices):
    BLOCK = "block", _("必须修改")
    WARN = "warn", _("提醒")


class WordCategory(models.TextChoices):
    INSTITUTION = "institution", _("机构名称")
    TERM = "term", _("规范表述")
    TYPO = "typo", _("常见错别字")
    OTHER = "other", _("其他")


class WordListEntry(models.Model):
    """One wrong form editors want caught, with the form to use instead.

    Changed only through ``reports.checking.wordlists.save_entry`` and ``delete_entry``,
    which record every change in ``WordListChange``.
    """

    wrong = models.CharField(
        _("错误写法"), max_length=100, unique=True, help_text=_("要查找的写法，如“国家工商行政管理总局”“布署”。")
    )
    suggestion = models.CharField(
        _("建议写法"), max_length=200, help_text=_("应改为的写法，如“国家市场监督管理总局”。")
    )
    severity = models.CharField(
        _("级别"),
        max_length=10,
        choices=Severity.choices,
        default=Severity.WARN,
        help_text=_("“必须修改”的问题在修改或放行前不能提交审核和审核通过；“提醒”可以说明理由后忽略。"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=WordCategory.choices, default=WordCategory.TYPO)
    note = models.TextField(_("说明"), blank=True, help_text=_("依据或适用情形，会显示给起草人。"))
    exceptions = models.TextField(
        _("例外写法"),
        blank=True,
        help_text=_("包含错误写法、但本身正确的词，每行一个，如“原国土资源部”“农业部门”。"),
    )
    since_year = models.PositiveSmallIntegerField(
        _("适用起始年度"),
        null=True,
        blank=True,
        help_text=_("只检查这一年度及以后的报告，如机构改革当年；留空则检查所有年度。"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("最后修改"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["category", "wrong"]
        verbose_name = _("检查词条")
        verbose_name_plural = _("检查词表")
        constraints = [
            models.CheckConstraint(
                condition=~Q(wrong=""),
                name="reports_wordlist_wrong_not_empty",
                violation_error_message=_("请填写错误写法。"),
            ),
            models.CheckConstraint(
                condition=Q(since_year__isnull=True) | (Q(since_year__gte=2000) & Q(since_year__lte=2100)),
                name="reports_wordlist_since_year_in_range",
                violation_error_message=_("适用起始年度应在 2000 到 2100 之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.wrong} → {self.suggestion}"

    @property
    def exception_list(self) -> list[str]:
        return [line.strip() for line in self.exceptions.splitlines() if line.strip()]

    def clean(self):
        self.wrong = self.wrong.strip()
        self.suggestion = self.suggestion.strip()
        if self.wrong and self.wrong == self.suggestion:
            raise ValidationError({"suggestion": _("建议写法与错误写法相同。")})
        useless = [line for line in self.exception_list if self.wrong not in line]
        if self.wrong and useless:
            raise ValidationError(
                {
                    "exceptions": _("例外写法必须包含错误写法“%(wrong)s”：%(lines)s")
                    % {"wrong": self.wrong, "lines": "、".join(useless)}
                }
            )
        self.exceptions = "\n".join(self.exception_list)

    def as_record(self) -> dict:
        """The entry's editable content, as its change log stores it before and after."""
        return {
            "wrong": self.wrong,
            "suggestion": self.suggestion,
            "severity": self.severity,
            "category": self.category,
            "note": self.note,
            "exceptions": self.exception_list,
            "since_year": self.since_year,
        }


class WordListAction(models.TextChoices):
    ADD = "add", _("新增")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")


class WordListChange(AppendOnlyModel):
    """Who changed which word-list entry when, with its content before and after (append-only)."""

    # No database constraint: the record outlives the entry it describes.
    entry = models.ForeignKey(
        WordListEntry,
        verbose_name=_("词条"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    wrong = models.CharField(_("错误写法"), max_length=100)
    action = models.CharField(_("操作"), max_length=10, choices=WordListAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("词表修改记录")
        verbose_name_plural = _("词表修改记录")

    def __str__(self):
        return f"{self.get_action_display()} · {self.wrong}"


class IgnoredFinding(models.Model):
    """A warn-level finding someone decided to keep, with the reason; it stays ignored while its sentence does."""

    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="ignored_findings"
    )
    fingerprint = models.CharField(_("问题标识"), max_length=32)
    rule = models.CharField(_("规则"), max_length=150)
    text = models.CharField(_("问题文字"), max_length=200)
    reason = models.TextField(_("忽略理由"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["report", "created_at"]
        verbose_name = _("已忽略的检查结果")
        verbose_name_plural = _("已忽略的检查结果")
        constraints = [
            models.UniqueConstraint(fields=["report", "fingerprint"], name="reports_ignored_finding_once"),
        ]

    def __str__(self):
        return f"{self.text} · {self.report}"


class LinkCheck(models.Model):
    """The latest answer of one address linked from report text (written by ``check_links``, never on a request)."""

    url = models.CharField(_("网址"), max_length=2000, unique=True)
    ok = models.BooleanField(_("可以打开"), default=False)
    status = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    error = models.CharField(_("问题"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("检查时间"), default=timezone.now)

    class Meta:
        ordering = ["url"]
        verbose_name = _("链接检查结果")
        verbose_name_plural = _("链接检查结果")

    def __str__(self):
        return self.url


class PublicFinding(models.Model):
    """A finding in a revision the public can read, recorded by ``rescan_published`` so editors hear of it once."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="+")
    fingerprint = models.CharField(_("问题标识"), max_length=32)
    rule = models.CharField(_("规则"), max_length=150)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices)
    # Personal data is kept masked: this table must not become a second copy of it.
    text = models.CharField(_("问题文字"), max_length=200)
    suggestion = models.CharField(_("建议"), max_length=300, blank=True)
    location = models.CharField(_("位置"), max_length=200)
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        ordering = ["report", "found_at"]
        verbose_name = _("已公开报告的检查结果")
        verbose_name_plural = _("已公开报告的检查结果")
        constraints = [
            models.UniqueConstraint(fields=["revision", "fingerprint"], name="reports_public_finding_once"),
        ]

    def __str__(self):
        return f"{self.text} · {self.report}"
