"""The domain: organizations, their annual reports, and the append-only history of both.

The working copy of a report lives in Report, Section, Item and Attachment. What the
public sees is never read from the working copy: it is a Revision (a frozen JSON
snapshot) that a publish event made live. See ``ReportQuerySet.published``.
"""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from reports.dates import title_year_mismatch, years_named
from reports.fields import PlainLinesField, PlainTextField, RichTextField
from reports.sanitize import html_to_text, plain_text
from reports.statement import SENTINEL_NOW, CompiledQuery


class OrganizationKind(models.TextChoices):
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    DEPARTMENT = "department", _("部门")


class OrganizationQuerySet(models.QuerySet):
    def owing_report(self, year: int):
        """Units that must publish a report for ``year`` (see ``Organization.owes_report``)."""
        return self.filter(
            Q(reports_annually=True),
            Q(reporting_from__isnull=True) | Q(reporting_from__lte=year),
            Q(reporting_until__isnull=True) | Q(reporting_until__gte=year),
        )

    def with_descendants(self):
        """These organizations and every unit below them in the hierarchy."""
        found = set(self.values_list("pk", flat=True))
        frontier = found
        while frontier:
            children = set(Organization.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            frontier = children - found
            found |= frontier
        return Organization.objects.filter(pk__in=found)

    def inspected_by(self, user):
        """Units whose reports ``user`` inspects (督察): those they are attached to, and every unit below."""
        if not user.is_active or not user.has_perm("reports.inspect_reports"):
            return self.none()
        return self.filter(inspectors=user).with_descendants()


class Organization(models.Model):
    """An issuing unit: a district, a street office, a town or a department."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True, help_text=_("如“磐东”，用于列表和网址。"))
    slug = models.SlugField(
        _("网址标识"), max_length=60, unique=True, help_text=_("只用小写字母、数字和连字符，如 pandong。")
    )
    code = models.CharField(
        _("机构代码"),
        max_length=40,
        unique=True,
        help_text=_("索引号的前缀，如统一社会信用代码或本区编号。"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.STREET)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sign_off_names = models.TextField(
        _("落款单位"),
        blank=True,
        help_text=_("报告末尾的落款单位，每行一个，按落款顺序填写。"),
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        blank=True,
        related_name="clerk_organizations",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        blank=True,
        related_name="editor_organizations",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督察员"),
        blank=True,
        related_name="inspected_organizations",
        help_text=_("督察员可查看本单位及其所有下级单位的报告情况，不能修改。"),
    )
    # The annual duty (《法治政府建设与责任落实督察工作规定》): who owes a report for which years.
    reports_annually = models.BooleanField(
        _("须每年报告"), default=False, help_text=_("勾选后，本单位每年须公开上一年度的法治政府建设情况报告。")
    )
    reporting_from = models.PositiveSmallIntegerField(
        _("自哪一年度起须报告"), null=True, blank=True, help_text=_("新设单位填写；留空表示一直须报告。")
    )
    reporting_until = models.PositiveSmallIntegerField(
        _("报告到哪一年度为止"),
        null=True,
        blank=True,
        help_text=_("撤并的单位填写最后一个须报告的年度；留空表示仍须报告。"),
    )
    # Public pages cached under the database's state notice a rename (or a new duty) through this.
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.CheckConstraint(
                condition=Q(reporting_from__isnull=True)
                | Q(reporting_until__isnull=True)
                | Q(reporting_from__lte=F("reporting_until")),
                name="reports_duty_years_in_order",
                violation_error_message=_("“报告到哪一年度为止”不能早于“自哪一年度起须报告”。"),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Public pages show organization names: a rename is a new edition of the site.
        PublicEdition.advance()

    def get_absolute_url(self):
        return f"{reverse('reports:report_list')}?org={self.slug}"

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def sign_off_list(self) -> list[str]:
        return [line.strip() for line in self.sign_off_names.splitlines() if line.strip()]

    def owes_report(self, year: int) -> bool:
        """Whether this unit must publish a report for ``year`` (the twin of ``owing_report``)."""
        return (
            self.reports_annually
            and (self.reporting_from is None or self.reporting_from <= year)
            and (self.reporting_until is None or year <= self.reporting_until)
        )

    @staticmethod
    def region_in(parents: dict[int, int | None], pk: int) -> int:
        """The region of unit ``pk``: the top of its chain of parents in ``parents`` (unit → parent).

        A chain that loops (a data error the admin does not prevent) ends where it comes back.
        """
        seen = set()
        while parents.get(pk) and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return pk


class PublicEdition(models.Model):
    """The public site's edition: one row whose number grows with every write that changes
    what the public sees (a publication, a withdrawal, an organization renamed).

    A schedule coming due changes what is public without any write, so the public state is
    this number together with the count of schedules now due (``public_state()``). That
    pair never repeats, so public pages are cached under it and never need purging.
    """

    number = models.PositiveBigIntegerField(_("版次"), default=0)

    class Meta:
        verbose_name = _("公开版次")
        verbose_name_plural = _("公开版次")

    def __str__(self):
        return str(self.number)

    @classmethod
    def advance(cls) -> None:
        """Move to the next edition, inside the caller's transaction (the row lock orders writers)."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.bulk_create([cls(pk=1)], ignore_conflicts=True)
            cls.objects.filter(pk=1).update(number=F("number") + 1)

    @staticmethod
    def due_schedules(now=None) -> Subquery:
        """The number of scheduled publications whose time has come (by ``now``), as a subquery."""
        due = Report.objects.filter(pending_at__lte=now or timezone.now()).order_by()
        return Subquery(due.annotate(count=models.Func(F("pk"), function="COUNT")).values("count"))

    @classmethod
    def state_expressions(cls, now=None) -> dict:
        """The public state as ``edition`` and ``due`` expressions, for a query that needs it in the same statement."""
        edition = Subquery(cls.objects.filter(pk=1).values("number"))
        return {"edition": Coalesce(edition, Value(0)), "due": cls.due_schedules(now)}


def _public_state_query(*, now):
    return PublicEdition.objects.filter(pk=1).annotate(due=PublicEdition.due_schedules(now)).values("number", "due")


# Read by every public request: compiled once per process rather than built anew each time.
_PUBLIC_STATE = CompiledQuery(_public_state_query, now=SENTINEL_NOW)


def public_state() -> tuple[int, int]:
    """(edition, schedules due): what the public site shows changes exactly when this pair does. One query."""
    now = timezone.now()
    rows = _PUBLIC_STATE.rows(router.db_for_read(PublicEdition), now=now)
    if not rows:  # only before the first publication of a database flushed by hand
        return 0, Report.objects.filter(pending_at__lte=now).count()
    return rows[0]["number"], rows[0]["due"]


class ReportState(models.TextChoices):
    """Editorial state of the working copy; what the public sees is decided by publish events."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


PUBLICATION_ACTIONS = ("publish", "withdraw")


class ReportQuerySet(models.QuerySet):
    def with_publication(self):
        """Annotate what the public sees now (see ``published``) and a schedule not yet due:
        ``scheduled_revision_id`` and ``scheduled_at`` (None when there is none)."""
        waiting = Q(pending_at__gt=timezone.now())
        return self._with_public_revision_now().annotate(
            scheduled_revision_id=Case(When(waiting, then=F("pending_revision"))),
            scheduled_at=Case(When(waiting, then=F("pending_at"))),
        )

    def published(self, now=None):
        """The only filter public pages, feeds, sitemaps, search and the API may use.

        Annotates ``public_revision_id`` and ``public_since``. The one rule of what is public:
        the report's publication pointer (see ``Report.live_revision``) — the live revision,
        or the scheduled one once its time has come (by ``now``, the current time unless a
        statement compiled once passes its own), so a schedule takes effect without any
        background worker.
        """
        return self._with_public_revision_now(now).filter(public_revision_id__isnull=False)

    def scheduled(self):
        """Reports with a publication scheduled and not yet due."""
        return self.with_publication().filter(scheduled_revision_id__isnull=False)

    def _with_public_revision_now(self, now=None):
        due = Q(pending_at__lte=now or timezone.now())
        return self.annotate(
            public_revision_id=Case(When(due, then=F("pending_revision")), default=F("live_revision")),
            public_since=Case(When(due, then=F("pending_at")), default=F("live_since")),
        )

    def with_public_revision(self, at):
        """Annotate each report with the revision the public saw at ``at``, from the events alone.

        The answer is the publish or withdraw event latest in the chain (by ``sequence``,
        never by a clock) among those recorded and in effect by then: a withdrawal leaves
        no revision, a later publish overrides an earlier schedule, and no event takes
        effect before it was recorded, so a back-dated publish time cannot make a report
        public in the past. The history screens ask this; ``verify_history`` checks that the
        publication pointer agrees with it.
        """
        latest = (
            WorkflowEvent.objects.filter(
                report=OuterRef("pk"), action__in=PUBLICATION_ACTIONS, effective_at__lte=at, created_at__lte=at
            )
            .annotate(took_effect=Greatest("effective_at", "created_at"))
            .order_by("-sequence")
        )
        return self.annotate(
            public_revision_id=Subquery(latest.values("revision_id")[:1]),
            public_since=Subquery(latest.values("took_effect")[:1]),
            public_sequence=Subquery(latest.values("sequence")[:1]),
        )

    def visible_to(self, user):
        """Reports a staff member may see in the admin."""
        if not user.is_active or not user.is_staff:
            return self.none()
        if user.has_perm("reports.view_all_reports") or user.has_perm("reports.review_all_organizations"):
            return self
        own = Q(organization__clerks=user) | Q(organization__editors=user)
        # Inspectors read the reports of their units from the first submission on, never a mere draft.
        inspected = Organization.objects.inspected_by(user)
        submitted = WorkflowEvent.objects.filter(report=OuterRef("pk"), action=WorkflowAction.SUBMIT)
        return self.filter(own | (Q(organization__in=inspected) & Exists(submitted))).distinct()


class Report(models.Model):
    """One organization's annual report on building rule-of-law government (the working copy)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"), help_text=_("报告所述的年度，如 2019。"))
    title = PlainTextField(
        _("标题"),
        max_length=200,
        blank=True,
        help_text=_("留空则自动生成为“单位+年度+年度法治政府建设情况报告”。"),
    )
    preamble = RichTextField(_("导语"), blank=True, help_text=_("正文开头的一段话。"))
    source = PlainTextField(_("来源"), max_length=100, default=_("本网"))
    signing_date = models.DateField(_("成文日期"), null=True, blank=True)
    signatories = PlainLinesField(
        _("落款单位"),
        blank=True,
        help_text=_("每行一个，按落款顺序；留空则使用单位设置的落款。"),
    )
    index_number = models.CharField(_("索引号"), max_length=80, unique=True, editable=False)
    disclosure_mode = models.CharField(
        _("公开方式"), max_length=20, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    topic_category = PlainTextField(_("主题分类"), max_length=60, default=_("政府工作/法治政府"))
    tags = TaggableManager(_("标签"), blank=True, help_text=_("用逗号分隔多个标签。"))

    state = models.CharField(
        _("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT, editable=False
    )
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True, editable=False)
    imported_published_at = models.DateTimeField(
        _("原网站发布时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("从旧网站迁移的报告在原网站上的发布时间，仅在导入时明确声明时记录；不是在本网公开的时间。"),
    )
    # The publication pointer: what the public sees, written only by services.publish and
    # services.withdraw under the report's row lock. The workflow events stay the record;
    # verify_history proves the two agree. A schedule waits in pending_* until its time.
    live_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("公开版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    live_since = models.DateTimeField(_("公开版本生效时间"), null=True, blank=True, editable=False)
    pending_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("定时发布版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    pending_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True, editable=False)
    view_count = models.PositiveBigIntegerField(_("浏览次数"), default=0, editable=False)
    version = models.PositiveIntegerField(_("版本号"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    # Fields only ever written by name (``save(update_fields=...)``, ``UPDATE``), never by a plain save().
    WRITTEN_BY_NAME = frozenset({"live_revision", "live_since", "pending_revision", "pending_at", "view_count"})

    class Meta:
        ordering = ["-year", "organization__order", "organization__name"]
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="reports_one_report_per_org_year",
                violation_error_message=_("该单位这一年度的报告已经存在，每个单位每年只能有一份报告。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="reports_year_in_range",
                violation_error_message=_("报告年度应在 2000 到 2100 之间。"),
            ),
        ]
        permissions = [
            ("audit_reports", _("审计（只读：可查看全部报告及其历史，不能修改任何内容）")),
            ("view_all_reports", _("可查看所有单位的报告")),
            ("review_report", _("可审核、发布和撤回报告")),
            ("review_all_organizations", _("可审核所有单位的报告")),
            ("inspect_reports", _("可督察下级单位报告情况")),
        ]
        indexes = [
            # public_state() counts the schedules that have come due on every public request.
            models.Index(
                fields=["pending_at"], condition=Q(pending_at__isnull=False), name="reports_report_pending_idx"
            ),
        ]

    def __str__(self):
        return self.title or self.default_title()

    def save(self, *args, **kwargs):
        if not self.title:
            self.title = self.default_title()
        if not self.index_number:
            self.index_number = self.next_index_number()
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Saving an instance read before a publication or some views must not undo them:
            # the services and the counter write these fields by name.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.WRITTEN_BY_NAME
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:report_detail", kwargs={"year": self.year, "org": self.organization.slug})

    def default_title(self) -> str:
        name = self.organization.name if self.organization_id else ""
        return _("%(organization)s%(year)s年度法治政府建设情况报告") % {"organization": name, "year": self.year}

    def next_index_number(self) -> str:
        """索引号 in the stable form ``{organization code}/{year}-{serial}``."""
        prefix = f"{self.organization.code}/{self.year}-"
        taken = Report.objects.filter(index_number__startswith=prefix).count()
        return f"{prefix}{taken + 1:05d}"

    @property
    def is_public_or_scheduled(self) -> bool:
        """Whether the public sees the report now or will at a scheduled time."""
        return self.live_revision_id is not None or self.pending_revision_id is not None

    @property
    def signatory_list(self) -> list[str]:
        own = [line.strip() for line in self.signatories.splitlines() if line.strip()]
        return own or self.organization.sign_off_list

    def missing_section_kinds(self) -> list["SectionKind"]:
        """Required parts of an annual report that this report does not have yet."""
        return SectionKind.missing_from(section.kind for section in self.sections.all())

    def title_year_mismatch(self) -> bool:
        """Whether the title names years but not the report's own (see ``reports.dates``)."""
        return title_year_mismatch(str(self), self.year)

    def submission_problems(self) -> list[str]:
        """Why this report may not be submitted yet, one Chinese sentence per problem; empty when complete.

        The statutory parts must be there and say something; 其他需要报告的情况 must say
        something too, if only “无”; a year in the title must be the report's year. A report
        imported from an old site where it was already public reproduces that document as it
        was, so it is not made to grow a part it never had.
        """
        sections = list(self.sections.prefetch_related("items"))
        problems = [_("缺少必备部分“%(part)s”。") % {"part": kind.label} for kind in self.missing_section_kinds()]
        for kind in SectionKind.required():
            of_kind = [section for section in sections if section.kind == kind]
            if of_kind and not any(section.has_text() for section in of_kind):
                problems.append(_("必备部分“%(part)s”还没有内容。") % {"part": kind.label})
        other_said = any(section.has_text() for section in sections if section.kind == SectionKind.OTHER)
        if not other_said and self.imported_published_at is None:
            problems.append(
                _("“%(part)s”须写明内容；没有需要报告的情况，请添加该部分并在引言中填写“无”。")
                % {"part": SectionKind.OTHER.label}
            )
        if self.title_year_mismatch():
            named = sorted({found.year for found in years_named(str(self))})
            problems.append(
                _("标题中的年度（%(years)s）与报告年度 %(year)s 不一致，请核对标题或报告年度。")
                % {"years": "、".join(str(year) for year in named), "year": self.year}
            )
        return problems


class SectionKind(models.TextChoices):
    """The parts an annual report must have (《法治政府建设与责任落实督察工作规定》)."""

    MEASURES = "measures", _("主要举措和成效")
    SHORTCOMINGS = "shortcomings", _("存在不足和原因")
    LEADERSHIP = "leadership", _("党政主要负责人履行推进法治建设第一责任人职责情况")
    PLANS = "plans", _("下一年度工作安排")
    OTHER = "other", _("其他需要报告的情况")

    @classmethod
    def required(cls) -> list["SectionKind"]:
        return [cls.MEASURES, cls.SHORTCOMINGS, cls.LEADERSHIP, cls.PLANS]

    @classmethod
    def missing_from(cls, kinds: Iterable[str]) -> list["SectionKind"]:
        """The required kinds not among ``kinds`` (of a working copy's sections or a snapshot's)."""
        present = set(kinds)
        return [kind for kind in cls.required() if kind not in present]


class Section(models.Model):
    """A numbered part of a report (一、二、…); numbers are computed from ``order``."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("部分"), max_length=20, choices=SectionKind.choices)
    heading = PlainTextField(_("标题"), max_length=200, blank=True, help_text=_("留空则使用该部分的标准标题。"))
    intro = RichTextField(_("引言"), blank=True, help_text=_("标题下、条目前的段落，可不填。"))
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("部分")
        verbose_name_plural = _("部分")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"],
                condition=~Q(kind="other"),
                name="reports_required_section_once_per_report",
                violation_error_message=_("每份报告中，除“其他需要报告的情况”外，每个部分只能出现一次。"),
            ),
        ]

    def __str__(self):
        return self.heading or self.get_kind_display()

    def save(self, *args, **kwargs):
        if not self.heading:
            self.heading = self.get_kind_display()
        super().save(*args, **kwargs)

    @property
    def template_name(self) -> str:
        return f"reports/sections/{self.kind}.html"

    def has_text(self) -> bool:
        """Whether the section says anything: its intro, or any item's heading or text."""
        if html_to_text(self.intro).strip():
            return True
        return any(item.heading.strip() or html_to_text(item.body).strip() for item in self.items.all())


class Item(models.Model):
    """A numbered item of a section: （一）（二）… and, one level down, 1. 2. …"""

    section = models.ForeignKey(Section, verbose_name=_("部分"), on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级条目"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    heading = PlainTextField(_("小标题"), max_length=300, blank=True)
    body = RichTextField(_("正文"), blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    # The item's identity across revisions: snapshots carry it, a restore puts it back, and
    # links to an item (a plan carried out by a measure, an anchor) follow it, not its position.
    key = models.UUIDField(_("条目标识"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("条目")
        verbose_name_plural = _("条目")

    def __str__(self):
        return self.heading or plain_text(self.body)[:30]

    def clean(self):
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": _("条目最多嵌套两级。")})
            if self.parent.section_id != self.section_id:
                raise ValidationError({"parent": _("上级条目必须属于同一部分。")})


class PlanStatus(models.TextChoices):
    """What came of one of last year's plans (上年工作安排落实情况)."""

    DONE = "done", _("已完成")
    IN_PROGRESS = "in_progress", _("推进中")
    NOT_DONE = "not_done", _("未完成")
    ADJUSTED = "adjusted", _("已调整")

    @classmethod
    def unfinished(cls) -> list["PlanStatus"]:
        """Statuses whose plans are offered as a starting point for 存在不足和原因."""
        return [cls.IN_PROGRESS, cls.NOT_DONE]


class PlanReview(models.Model):
    """What came of one plan (下一年度工作安排) of the unit's previous-year report, as this report says.

    Part of the report's content: snapshots carry it, so it is revisioned, hash-chained,
    reviewed and published with the report. The plan is named by its key in the previous
    year's public revision (``plan_revision``), and its text is copied, so the review still
    reads right if that report is later corrected.
    """

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="plan_reviews")
    plan_revision = models.ForeignKey(
        "Revision", verbose_name=_("上年报告公开版本"), on_delete=models.PROTECT, related_name="+"
    )
    plan_key = models.CharField(_("上年工作安排标识"), max_length=64)
    position = models.PositiveIntegerField(_("上年工作安排序号"), help_text=_("在上年报告工作安排中的位置，从 1 起。"))
    plan_text = PlainTextField(_("上年工作安排"), max_length=300)
    status = models.CharField(_("落实情况"), max_length=20, choices=PlanStatus.choices, blank=True)
    note = PlainTextField(_("说明"), max_length=300, blank=True)
    # Keys (Item.key) of this report's measures that carry the plan out.
    measure_keys = models.JSONField(_("对应举措"), default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("上年工作安排落实情况")
        verbose_name_plural = _("上年工作安排落实情况")
        constraints = [
            models.UniqueConstraint(fields=["report", "plan_key"], name="reports_plan_review_once_per_plan"),
        ]

    def __str__(self):
        return self.plan_text


def attachment_upload_to(instance, filename):
    # Random names: the uploader's file name is only ever a display name.
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class AttachmentQuerySet(models.QuerySet):
    def attached(self):
        """The working copy's attachments; detached ones stay for the revisions that name them."""
        return self.filter(detached_at__isnull=True)


class Attachment(models.Model):
    """A file attached to a report (相关附件).

    Rows are never deleted and their files never replaced: a revision names an attachment
    by id and SHA-256, and the public download serves it while the public revision does.
    Removing an attachment from the working copy only detaches it.
    """

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_upload_to)
    display_name = PlainTextField(_("显示名称"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64, blank=True, editable=False)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    detached_at = models.DateTimeField(
        _("移除时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("从报告中移除的时间；文件保留，供仍列有它的历史版本使用。"),
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("reports:attachment_download", kwargs={"pk": self.pk})

    def detach(self) -> None:
        """Remove from the working copy, keeping the row and the file."""
        self.detached_at = timezone.now()
        Attachment.objects.filter(pk=self.pk, detached_at=None).update(detached_at=self.detached_at)


class WorkflowAction(models.TextChoices):
    CREATE = "create", _("创建")
    IMPORT = "import", _("导入")
    EDIT = "edit", _("修改")
    SUBMIT = "submit", _("提交审核")
    RETURN = "return", _("退回")
    APPROVE = "approve", _("审核通过")
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤回")
    RESTORE = "restore", _("恢复历史版本")
    CORRECT = "correct", _("更正记录")
    # An editor accepts block-level findings of the pre-publication checks for one revision.
    OVERRIDE_CHECK = "override_check", _("放行检查结果")
    # The report was sent to the superior office; ``effective_at`` is the start of that day.
    REPORT_UPWARD = "report_upward", _("报送上级")


class AppendOnlyQuerySet(models.QuerySet):
    """History is evidence: rows may be added, never changed or removed through the ORM."""

    def update(self, **kwargs):
        raise PermissionError("history records are append-only")

    def delete(self):
        raise PermissionError("history records are append-only")

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):
            raise PermissionError("history records are append-only")
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("history records are append-only")
        # A new instance given an existing pk would otherwise be saved as an UPDATE.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("history records are append-only")


class Revision(AppendOnlyModel):
    """An immutable snapshot of a report's complete content at one save."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)
    state = models.CharField(_("当时状态"), max_length=20, choices=ReportState.choices)
    comment = models.CharField(_("修改说明"), max_length=500, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    content = models.JSONField(_("内容"))
    search_text = models.TextField(_("全文"), blank=True)
    hash = models.CharField(_("哈希值"), max_length=64)
    previous_hash = models.CharField(_("上一条哈希值"), max_length=64, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("历史版本")
        verbose_name_plural = _("历史版本")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_revision_number_per_report"),
        ]

    def __str__(self):
        return _("第 %(number)s 版") % {"number": self.number}


class RevisionTag(AppendOnlyModel):
    """A tag as one revision has it. Public tag pages and filters read these, so a tag
    goes public, changes or disappears only with a publication, never with an edit."""

    revision = models.ForeignKey(Revision, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="tag_names")
    name = models.CharField(_("标签"), max_length=100)

    class Meta:
        verbose_name = _("版本标签")
        verbose_name_plural = _("版本标签")
        constraints = [models.UniqueConstraint(fields=["revision", "name"], name="reports_revision_tag_once")]
        indexes = [models.Index(fields=["name", "revision"], name="reports_revision_tag_name_idx")]

    def __str__(self):
        return self.name


class WorkflowEvent(AppendOnlyModel):
    """One step of a report's workflow: who did what, when, from which state to which.

    Publish and withdraw events double as the publication record: ``effective_at`` is when
    the change became (or becomes) visible to the public.
    """

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField(_("序号"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=20, choices=WorkflowAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ReportState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ReportState.choices)
    comment = models.TextField(_("意见/说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    revision = models.ForeignKey(
        Revision, verbose_name=_("版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    effective_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    secrecy_checked = models.BooleanField(_("已完成保密审查"), default=False)
    comment_is_public = models.BooleanField(_("向公众显示说明"), default=False)
    hash = models.CharField(_("哈希值"), max_length=64)
    previous_hash = models.CharField(_("上一条哈希值"), max_length=64, blank=True)

    class Meta:
        ordering = ["report", "sequence"]
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")
        constraints = [
            models.UniqueConstraint(fields=["report", "sequence"], name="reports_event_sequence_per_report"),
        ]
        indexes = [
            models.Index(fields=["report", "action", "effective_at"], name="reports_event_publication_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.report}"


class Milestone(models.TextChoices):
    """The dates of the annual duty (see ``reports.duty.deadlines``)."""

    UPWARD = "upward", _("报送上级")
    PUBLICATION = "publication", _("向社会公开")


class ReminderKind(models.TextChoices):
    UNIT = "unit", _("提醒本单位")
    DIGEST = "digest", _("督察汇总")


class Reminder(AppendOnlyModel):
    """One reminder email that was sent: the record that keeps a daily run from sending it twice."""

    kind = models.CharField(_("类型"), max_length=10, choices=ReminderKind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
        help_text=_("提醒本单位时为该单位；督察汇总为空。"),
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    milestone = models.CharField(_("节点"), max_length=20, choices=Milestone.choices)
    days_before = models.PositiveSmallIntegerField(_("提前天数"), help_text=_("0 表示截止后当天起的逾期提醒。"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("邮箱"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("截止提醒")
        verbose_name_plural = _("截止提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "milestone", "days_before", "recipient"],
                condition=Q(organization__isnull=False),
                name="reports_reminder_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["year", "milestone", "days_before", "recipient"],
                condition=Q(organization__isnull=True),
                name="reports_digest_once",
            ),
        ]

    def __str__(self):
        return self.subject


class CorrectionStatus(models.TextChoices):
    NEW = "new", _("新提交")
    IN_PROGRESS = "in_progress", _("处理中")
    ANSWERED = "answered", _("已答复")
    DECLINED = "declined", _("不予采纳")


class Correction(models.Model):
    """A resident's report of an error on an article (我要纠错), for the editors of its unit.

    Never shown on the public site. The contact is personal data and is erased once
    ``CORRECTION_RETENTION_DAYS`` have passed (``services.erase_expired_contacts``).
    """

    TEXT_MAX_LENGTH = 1000
    CONTACT_MAX_LENGTH = 100

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="corrections")
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("所纠版本"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("提交时公众看到的版本。"),
    )
    page_url = models.CharField(_("页面地址"), max_length=500)
    text = models.TextField(_("错误内容"), max_length=TEXT_MAX_LENGTH)
    contact = models.CharField(_("联系方式"), max_length=CONTACT_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("处理状态"), max_length=20, choices=CorrectionStatus.choices, default=CorrectionStatus.NEW
    )
    reply = models.TextField(_("答复"), blank=True, help_text=_("处理结果或给提交人的答复，仅在后台保存，不对外公开。"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    contact_erased_at = models.DateTimeField(_("联系方式删除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("纠错")
        verbose_name_plural = _("纠错")
        indexes = [models.Index(fields=["status", "created_at"], name="reports_correction_status_idx")]

    def __str__(self):
        return _("%(title)s 的纠错（%(date)s）") % {
            "title": self.revision.title if self.revision_id else "",
            "date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M"),
        }


# The pre-publication checks keep their models in their own package (reports/checking/models.py);
# importing it here registers them with this app.
from reports.checking import models as checking_models  # noqa: E402, F401


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A workflow message to one person, kept in the portal so the workflow never depends on mail.

    Every person a step concerns gets one, with or without an email address; ``email``
    records the address the same message was also mailed to (blank: in the portal only).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="notifications"
    )
    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(
        WorkflowEvent, verbose_name=_("流程记录"), on_delete=models.PROTECT, related_name="notifications"
    )
    text = models.TextField(_("内容"))
    email = models.EmailField(_("同时发送到的邮箱"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        indexes = [models.Index(fields=["recipient", "read_at"], name="reports_notification_inbox_idx")]

    def __str__(self):
        return self.text


# The search index, synonyms and search log live beside the search code (reports/search/).
from reports.search.models import (  # noqa: E402, F401
    SearchLogEntry,
    SearchPosting,
    SearchTerm,
    SearchText,
    SynonymGroup,
)
