"""Demo data of the annual duty: a dozen units of 揭东区 owing reports, for the last cycle and this one.

Every report is taken through the services with the clock set to each step's moment, so
every publish time is a real publish event: on time, late, withdrawn, under review, a
draft, never started. Units that already exist are left alone, so loading twice adds nothing.
"""

from datetime import datetime, time, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from reports import services
from reports.duty.deadlines import SHANGHAI, current_year, publication_deadline, upward_deadline
from reports.models import Item, Organization, OrganizationKind, Report, Section, SectionKind

DISTRICT = "jiedong"
# slug, name, kind, code suffix
UNITS = [
    ("quxi", "曲溪街道", OrganizationKind.STREET),
    ("xinheng", "新亨镇", OrganizationKind.TOWN),
    ("yuhu", "玉湖镇", OrganizationKind.TOWN),
    ("xichang", "锡场镇", OrganizationKind.TOWN),
    ("putian", "埔田镇", OrganizationKind.TOWN),
    ("sifaju", "揭东区司法局", OrganizationKind.DEPARTMENT),
    ("jiaoyuju", "揭东区教育局", OrganizationKind.DEPARTMENT),
    ("weijianju", "揭东区卫生健康局", OrganizationKind.DEPARTMENT),
    ("shijianju", "揭东区市场监督管理局", OrganizationKind.DEPARTMENT),
    ("ziranziyuanju", "揭东区自然资源局", OrganizationKind.DEPARTMENT),
    ("zhujianju", "揭东区住房和城乡建设局", OrganizationKind.DEPARTMENT),
]
# What happened to each unit's report of the last cycle: (outcome, days from the deadline's last day).
LAST_CYCLE = {
    "quxi": ("published", -20),
    "xinheng": ("published", -9),
    "yuhu": ("published", -1),
    "sifaju": ("published", 0),
    "xichang": ("published", 2),
    "jiaoyuju": ("published", 7),
    "weijianju": ("published", 16),
    "shijianju": ("withdrawn", -5),
    "putian": ("submitted", 10),
    "ziranziyuanju": ("draft", 3),
}
# This cycle: drafts and a submission, well before its deadline.
THIS_CYCLE = {"quxi": "submitted", "sifaju": "draft", "xinheng": "draft"}
CLERK, EDITOR = "duty-demo-clerk", "duty-demo-editor"


def _staff(username: str, name: str, group: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name, "is_staff": True}
    )
    if created:
        user.set_unusable_password()  # the demo's own hands: nobody signs in as them
        user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def _fill(report) -> None:
    name, year = report.organization.name, report.year
    for order, kind in enumerate(SectionKind.required()):
        section = Section.objects.create(report=report, kind=kind, order=order)
        Item.objects.create(
            section=section,
            heading=f"{kind.label}（{name}）",
            body=f"<p>{year}年，{name}围绕“{kind.label}”扎实推进法治政府建设，群众满意度持续提升。</p>",
            order=0,
        )
    Section.objects.create(report=report, kind=SectionKind.OTHER, order=len(SectionKind.required()), intro="<p>无</p>")


def _at(moment: datetime):
    """Run services as if it were ``moment`` (never later than now)."""
    return mock.patch("django.utils.timezone.now", return_value=min(moment, timezone.now()))


def _report(unit, year: int, outcome: str, moment: datetime, clerk, editor) -> None:
    with _at(moment - timedelta(days=10)):
        report = Report(organization=unit, year=year, preamble="<p>现将有关情况报告如下：</p>")
        services.create_report(report=report, user=clerk, write_content=_fill)
    if outcome == "draft":
        return
    with _at(moment - timedelta(days=3)):
        services.submit_for_review(report=report, user=clerk)
    if outcome == "submitted":
        return
    with _at(moment - timedelta(days=1)):
        services.approve(report=report, user=editor, secrecy_checked=True)
    upward = upward_deadline(year)
    if upward is not None:
        with _at(moment - timedelta(hours=12)):
            sent_on = min(upward.last_day, (moment - timedelta(days=1)).astimezone(SHANGHAI).date())
            services.report_upward(report=report, user=editor, sent_on=sent_on, document_number=f"〔{year + 1}〕1号")
    with _at(moment):
        services.publish(report=report, user=editor)
    if outcome == "withdrawn":
        with _at(moment + timedelta(days=2)):
            services.withdraw(report=report, user=editor, reason="发现数据有误，核实后重新发布。")


@transaction.atomic
def load_duty_demo() -> tuple[int, int]:
    """Add the demo units and their reports; returns (units added, reports added)."""
    district = Organization.objects.filter(slug=DISTRICT).first()
    if district is None:
        return 0, 0
    Organization.objects.filter(pk=district.pk).update(reports_annually=False)
    Organization.objects.filter(parent=district, slug="pandong").update(reports_annually=True)
    clerk = _staff(CLERK, "演示单位起草人", "起草人")
    editor = _staff(EDITOR, "演示单位审核人", "审核人")
    last, this = current_year() - 1, current_year()
    last_day = publication_deadline(last).last_day
    units_added = reports_added = 0
    for order, (slug, name, kind) in enumerate(UNITS, start=20):
        if Organization.objects.filter(slug=slug).exists():
            continue
        unit = Organization.objects.create(
            name=name,
            short_name=name.removeprefix("揭东区"),
            slug=slug,
            code=f"DEMO-{slug.upper()}",
            kind=kind,
            parent=district,
            sign_off_names=name,
            order=order,
            reports_annually=True,
        )
        unit.clerks.add(clerk)
        unit.editors.add(editor)
        units_added += 1
        if slug in LAST_CYCLE:
            outcome, offset = LAST_CYCLE[slug]
            moment = datetime.combine(last_day + timedelta(days=offset), time(10, 0), tzinfo=SHANGHAI)
            _report(unit, last, outcome, moment, clerk, editor)
            reports_added += 1
        if slug in THIS_CYCLE:
            _report(unit, this, THIS_CYCLE[slug], timezone.now(), clerk, editor)
            reports_added += 1
    return units_added, reports_added
