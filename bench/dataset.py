"""Build the benchmark database: the demo data plus 300 organizations × 8 years of published reports.

``BENCH_SCALE=10`` in the environment makes it 3,000 organizations (a province's portal for
all its districts, 集约化). Units are grouped as a province's are: one district (区) per 30
units, the others under it.

Rows are written with bulk_create, but every revision and workflow event is what the
workflow services would have recorded (create, edit, submit, approve, publish and, for
some reports, a published correction), with hash chains built by reports.history.hashchain, so
the history verifies; the search index is then written for the public revisions by the
code that indexes every publication. Run as a script with DATABASE_URL (and the other
settings) in the environment: ``python bench/dataset.py``.
"""

import functools
import os
import random
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

SCALE = int(os.environ.get("BENCH_SCALE", "1"))
ORGANIZATIONS = 300 * SCALE
UNITS_PER_REGION = 30
YEARS = range(2018, 2026)
ITEMS_PER_REPORT = (20, 40)
# The report the benchmark reads: the first organization's latest year, with the most items.
ARTICLE_ORGANIZATION_SLUG = "street-001"
ARTICLE_YEAR = YEARS[-1]
ARTICLE_ITEMS = 40
# A phrase in about one report in seven, so a search finds a few hundred of them.
SEARCH_QUERY = "行政复议"
CORRECTED_SHARE = 0.1
PARAGRAPHS = 600
BATCH = 500

PLACES = "东南西北中新城河山湖桥塘溪江海港林石云龙凤安平和宁丰泰华兴隆德"
KINDS = [("街道", "street"), ("镇", "town"), ("局", "department")]
HEADINGS = [
    "完善决策制度，推动决策依法民主",
    "完善监督制度，督促工作依法依规",
    "加大宣传力度，营造浓厚法治氛围",
    "规范合同管理，落实合法性审查机制",
    "化解矛盾纠纷，确保辖区和谐稳定",
    "深化放管服改革，优化法治化营商环境",
    "严格规范公正文明执法",
    "推进政务公开，保障群众知情权",
    "加强法律顾问工作，提升依法决策水平",
    "健全应急管理机制，依法应对突发事件",
    "加强行政规范性文件管理",
    "落实普法责任制",
]
SENTENCES = [
    "在出台行政决策前，相关部门加强联动，多方位分析讨论，确保决策科学可行。",
    "始终坚持“以人为本”的工作原则，情系社区、一心为民，满足社区居民合理需求。",
    "通过召开现场办公会、居民矛盾纠纷调解室等平台听取群众呼声，了解各方意见，为行政决策提供依据。",
    "聘请律师组成社区法律顾问团，为行政管理中的法律问题、重大决策等提供法律咨询意见。",
    "切实发挥审计监督作用，把审计及审计整改成果转化为完善制度、强化管理的有力抓手。",
    "通过电话、举报信箱等多渠道沟通平台，履行政府信息公开，推动政务工作的公开透明。",
    "开展涉及宪法、社区矫正法、扫黑除恶、妇女维权、安全生产、道路交通安全、禁毒等多内容多形式的法治宣传。",
    "为辖区内居民提供法律咨询、法律援助、人民调解、心理疏导等方面的法律服务。",
    "充分发挥网络、微信公众号、小区电子屏等新媒体优势作用，扩大法治宣传的声势和影响。",
    "严格落实行政机关内部重大决策合法性审查机制。",
    "未经合法性审查或合法性审查未通过的行政规范性文件不提交审议。",
    "落实矛盾纠纷排查调处情况月报告制度，督促抓好预防、排查、调处、信息报送、定期分析、应急处置。",
    "依托人民调解员、法律顾问、心理咨询师等专业人员，提高调解成功率，服务群众、为民解忧。",
    "部分机关工作人员对法治政府建设内容理解不透彻、不全面，依法行政工作能力不足。",
    "对行政人员的教育培训有限，部分人员存在重工作、轻学习现象，缺乏创新能力。",
    "严格依法依规决策，重大决策集体讨论决定前，严格实行合法合规性审查。",
    "坚持集体学法，采取多种学习方式，不断提高运用法治思维和法治方式推动发展、化解矛盾的能力。",
    "充分利用广播、电子屏和宣传栏等宣传平台，积极开展法治政府建设宣传工作。",
    "加强法治队伍建设，开展依法行政工作教育培训，加大工作考核力度。",
    "紧紧围绕“职能科学、权责法定、执法严明、公开公正、廉洁高效、守法诚信”的总体目标推进工作。",
    "全年共办理行政许可事项一千余件，办结率百分之百。",
    "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
    "组织执法人员参加专业法律知识培训和执法资格考试，持证上岗率达到百分之百。",
    "完善政务服务系统，加强规范性文件监管，坚持法律顾问制度，健全依法决策机制。",
]
RARE_SENTENCES = [
    "全年办理行政复议案件十余件，依法纠正违法或者不当的行政行为。",
    "认真落实行政复议决定，行政机关负责人出庭应诉率达到百分之百。",
]
TAGS = ["依法行政", "行政执法", "普法宣传", "法律顾问", "政务公开", "矛盾纠纷化解", "重大行政决策", "营商环境"]
ATTACHMENT_NAMES = ["法治政府建设工作台账.pdf", "重大行政决策目录.xlsx", "行政执法统计表.docx"]


def _sections_plan(rng: random.Random, total: int) -> list[tuple[str, int]]:
    """How many items each section gets (children included), in the order they appear."""
    from reports.models import SectionKind

    shares = [(SectionKind.MEASURES, 0.5), (SectionKind.SHORTCOMINGS, 0.15), (SectionKind.LEADERSHIP, 0.1)]
    plan = [(kind, max(1, round(total * share))) for kind, share in shares]
    plan.append((SectionKind.PLANS, total - sum(count for _, count in plan)))
    return plan


def _paragraph_pool(rng: random.Random) -> tuple[list[str], list[str]]:
    """A few hundred distinct paragraphs that items draw from, some with the rare phrase."""
    common = [f"<p>{''.join(rng.sample(SENTENCES, rng.randint(2, 4)))}</p>" for _ in range(PARAGRAPHS)]
    rare = []
    for _ in range(PARAGRAPHS // 10):
        sentences = rng.sample(SENTENCES, rng.randint(1, 3))
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(RARE_SENTENCES))
        rare.append(f"<p>{''.join(sentences)}</p>")
    return common, rare


def _report_content(rng: random.Random, pool: tuple[list[str], list[str]], total_items: int) -> list[dict]:
    """Sections with items for one report; about one measure in three has 1. 2. … children."""
    rare_index = rng.randrange(total_items) if rng.random() < 1 / 7 else -1
    counter = 0
    sections = []
    for kind, count in _sections_plan(rng, total_items):
        items = []
        remaining = count
        while remaining > 0:
            children_count = min(remaining - 1, rng.choice([0, 0, 2, 3])) if kind == "measures" else 0
            children = []
            for _ in range(children_count):
                counter += 1
                children.append(
                    {"heading": "", "body": rng.choice(pool[counter == rare_index]), "children": []},
                )
            counter += 1
            heading = rng.choice(HEADINGS) if kind in ("measures", "plans") else ""
            items.append({"heading": heading, "body": rng.choice(pool[counter == rare_index]), "children": children})
            remaining -= 1 + children_count
        sections.append({"kind": kind, "items": items})
    return sections


def _aware(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(1, 9), rng.randint(0, 59), rng.randint(0, 59), tzinfo=UTC)


class Builder:
    """Writes organizations, reports and their history in batches."""

    def __init__(self, seed: int = 8):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password

        self.rng = random.Random(seed)
        self.pool = _paragraph_pool(self.rng)
        user_model = get_user_model()
        self.clerk, _ = user_model.objects.get_or_create(
            username="bench-clerk", defaults={"password": make_password(None), "is_staff": True}
        )
        self.editor, _ = user_model.objects.get_or_create(
            username="bench-editor", defaults={"password": make_password(None), "is_staff": True}
        )

    def organizations(self):
        """Districts first (one per ``UNITS_PER_REGION`` units, each publishing too), then the units under them."""
        from reports.models import Organization

        taken = set(Organization.objects.values_list("name", flat=True))
        places = [a + b for a in PLACES for b in PLACES if a != b]
        self.rng.shuffle(places)
        count = max(1, ORGANIZATIONS // UNITS_PER_REGION)
        regions = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"{place}区",
                    short_name=place,
                    slug=f"district-{number:03d}",
                    code=f"BENCHD{number:03d}",
                    kind="district",
                    sign_off_names=f"{place}区人民政府",
                    order=100 + number,
                )
                for number, place in enumerate(places[:count], start=1)
            ]
        )
        taken.update(region.name for region in regions)
        rows = []
        for number in range(1, ORGANIZATIONS - count + 1):
            region = regions[(number - 1) * count // (ORGANIZATIONS - count)]
            while True:
                place = self.rng.choice(places)
                suffix, kind = KINDS[0] if number % 5 else KINDS[number // 5 % 3]
                name = f"{region.short_name}{place}{suffix}" if suffix != "局" else f"{region.name}{place}局"
                if name not in taken:
                    break
            taken.add(name)
            rows.append(
                Organization(
                    name=name,
                    short_name=place,
                    slug=f"street-{number:03d}",
                    code=f"BENCH{number:04d}",
                    kind=kind,
                    parent=region,
                    sign_off_names=f"{name}党工委\n{name}办事处" if kind != "department" else name,
                    order=100 + count + number,
                )
            )
        return [*regions, *Organization.objects.bulk_create(rows)]

    def reports(self, organizations):
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import Tag, TaggedItem

        from reports.models import Report

        tags = {
            name: Tag.objects.get_or_create(name=name, defaults={"slug": f"bench-{i}"})[0]
            for i, name in enumerate(TAGS)
        }
        report_type = ContentType.objects.get_for_model(Report)
        plans = []
        for organization in organizations:
            for year in YEARS:
                plans.append((organization, year))
        for start in range(0, len(plans), BATCH):
            self._report_batch(plans[start : start + BATCH], tags, report_type, TaggedItem)

    def _report_batch(self, plans, tags, report_type, tagged_item_model):
        from reports.models import Report

        rng = self.rng
        now = datetime.now(tz=UTC)
        reports, extras = [], []
        for organization, year in plans:
            is_article = organization.slug == ARTICLE_ORGANIZATION_SLUG and year == ARTICLE_YEAR
            total = ARTICLE_ITEMS if is_article else rng.randint(*ITEMS_PER_REPORT)
            created = _aware(date(year + 1, 1, 5) + timedelta(days=rng.randint(0, 40)), rng)
            published = min(created + timedelta(days=rng.randint(20, 90), hours=rng.randint(0, 8)), now)
            corrected = rng.random() < CORRECTED_SHARE
            report = Report(
                organization=organization,
                year=year,
                title=f"{organization.name}{year}年度法治政府建设情况报告",
                preamble=(
                    f"<p>{year}年，{organization.name}以习近平新时代中国特色社会主义思想为指导，扎实推进法治政府建设。"
                    f"现将{year}年度{organization.name}法治政府建设情况报告如下：</p>"
                ),
                signing_date=(published - timedelta(days=rng.randint(1, 10))).date(),
                index_number=f"{organization.code}/{year}-00001",
                state="published",
                first_published_at=published,
                view_count=rng.randint(0, 5000),
                source="本网",
                topic_category="政府工作/法治政府",
                disclosure_mode="proactive",
                # One step per transition the services made: edit, submit, approve, publish (and again).
                version=8 if corrected else 4,
                created_by=self.clerk,
                submitted_by=self.clerk,
            )
            reports.append(report)
            extras.append(
                {
                    "sections": _report_content(rng, self.pool, total),
                    "tags": sorted(rng.sample(TAGS, rng.randint(1, 3))),
                    "attachments": rng.sample(ATTACHMENT_NAMES, rng.choice([0, 0, 1, 2])),
                    "created": created,
                    "published": published,
                    "corrected": corrected,
                }
            )
        Report.objects.bulk_create(reports)
        tagged = [
            tagged_item_model(tag=tags[name], content_type=report_type, object_id=report.pk)
            for report, extra in zip(reports, extras, strict=True)
            for name in extra["tags"]
        ]
        tagged_item_model.objects.bulk_create(tagged)
        self._working_copies(reports, extras)
        self._history(reports, extras)

    def _item_key(self) -> str:
        """A random item key from the generator's own seed, so the dataset is the same on every run."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _working_copies(self, reports, extras):
        """Sections, items and attachment rows; fills in the snapshot each report's revision freezes."""
        from reports.history.revisions import content_of
        from reports.models import Attachment, Item, Section

        sections, section_data = [], []
        for report, extra in zip(reports, extras, strict=True):
            for order, data in enumerate(extra["sections"]):
                sections.append(
                    Section(report=report, kind=data["kind"], heading=_kind_heading(data["kind"]), order=order)
                )
                section_data.append(data)
        Section.objects.bulk_create(sections, batch_size=BATCH)
        parents, parent_data = [], []
        for section, data in zip(sections, section_data, strict=True):
            for order, item in enumerate(data["items"]):
                item["key"] = self._item_key()
                parents.append(
                    Item(section=section, heading=item["heading"], body=item["body"], order=order, key=item["key"])
                )
                parent_data.append(item)
        Item.objects.bulk_create(parents, batch_size=BATCH)
        children = []
        for parent, item in zip(parents, parent_data, strict=True):
            for order, child in enumerate(item["children"]):
                child["key"] = self._item_key()
                children.append(
                    Item(
                        section=parent.section,
                        parent=parent,
                        heading=child["heading"],
                        body=child["body"],
                        order=order,
                        key=child["key"],
                    )
                )
        Item.objects.bulk_create(children, batch_size=BATCH)
        attachments = []
        for report, extra in zip(reports, extras, strict=True):
            for order, name in enumerate(extra["attachments"]):
                digest = f"{report.pk:032x}{order:032x}"
                attachments.append(
                    Attachment(
                        report=report,
                        file=f"attachments/bench/{digest}{Path(name).suffix}",
                        display_name=f"附件{order + 1}：{report.year}年度{name}",
                        size=self.rng.randint(20_000, 2_000_000),
                        content_type=_content_type(name),
                        sha256=digest,
                        order=order,
                    )
                )
        Attachment.objects.bulk_create(attachments, batch_size=BATCH)
        by_report = {}
        for attachment in attachments:
            by_report.setdefault(attachment.report_id, []).append(attachment)
        section_iter = iter(sections)
        for report, extra in zip(reports, extras, strict=True):
            content_sections = []
            for data in extra["sections"]:
                section = next(section_iter)
                content_sections.append(
                    {"kind": section.kind, "heading": section.heading, "intro": "", "items": data["items"]}
                )
            extra["content"] = content_of(
                report, sections=content_sections, tags=extra["tags"], attachments=by_report.get(report.pk, [])
            )

    def _history(self, reports, extras):
        """Revisions and workflow events, as the services record them, with their hash chains."""
        from reports.history.hashchain import chained_hash, event_payload, revision_payload
        from reports.history.revisions import search_text
        from reports.models import Report, Revision, RevisionTag, WorkflowEvent

        rng = self.rng
        revisions, plans = [], []
        for report, extra in zip(reports, extras, strict=True):
            final = extra["content"]
            created, published = extra["created"], extra["published"]
            empty = {**final, "sections": [], "attachments": [], "tags": []}
            contents = [(empty, created, "draft", ""), (final, created + timedelta(hours=2), "draft", "")]
            if extra["corrected"]:
                typo = _with_typo(final)
                contents[1] = (typo, contents[1][1], "draft", "")
                fixed_at = published + timedelta(days=rng.randint(3, 30))
                contents.append((final, fixed_at, "published", "更正文字错误"))
            report_revisions = []
            previous_hash = ""
            for number, (content, at, state, comment) in enumerate(contents, start=1):
                revision = Revision(
                    report=report,
                    number=number,
                    author=self.clerk,
                    created_at=at,
                    state=state,
                    comment=comment,
                    title=content["title"],
                    content=content,
                    search_text=search_text(content),
                    previous_hash=previous_hash,
                )
                revision.hash = chained_hash(revision_payload(revision), previous_hash)
                previous_hash = revision.hash
                report_revisions.append(revision)
            revisions += report_revisions
            plans.append((report, extra, report_revisions))
        Revision.objects.bulk_create(revisions, batch_size=BATCH)
        RevisionTag.objects.bulk_create(
            [RevisionTag(revision=revision, name=name) for revision in revisions for name in revision.content["tags"]],
            batch_size=BATCH,
        )

        events = []
        for report, extra, report_revisions in plans:
            published = extra["published"]
            steps = [
                ("create", "", "draft", self.clerk, report_revisions[0], extra["created"], None, ""),
                ("edit", "draft", "draft", self.clerk, report_revisions[1], report_revisions[1].created_at, None, ""),
                ("submit", "draft", "submitted", self.clerk, None, published - timedelta(days=3), None, ""),
                ("approve", "submitted", "approved", self.editor, None, published - timedelta(days=1), None, ""),
                ("publish", "approved", "published", self.editor, report_revisions[1], published, published, ""),
            ]
            if extra["corrected"]:
                fix = report_revisions[2]
                at = fix.created_at
                steps += [
                    ("edit", "published", "draft", self.clerk, fix, at, None, fix.comment),
                    ("submit", "draft", "submitted", self.clerk, None, at + timedelta(hours=1), None, ""),
                    ("approve", "submitted", "approved", self.editor, None, at + timedelta(hours=2), None, ""),
                    (
                        "publish",
                        "approved",
                        "published",
                        self.editor,
                        fix,
                        at + timedelta(hours=3),
                        at + timedelta(hours=3),
                        "更正了正文中的文字错误。",
                    ),
                ]
            previous_hash = ""
            for sequence, (action, from_state, to_state, actor, revision, at, effective, note) in enumerate(steps, 1):
                event = WorkflowEvent(
                    report=report,
                    sequence=sequence,
                    actor=actor,
                    action=action,
                    from_state=from_state,
                    to_state=to_state,
                    comment=note,
                    created_at=at,
                    revision=revision,
                    effective_at=effective,
                    secrecy_checked=action == "approve",
                    comment_is_public=bool(note) and action == "publish",
                    previous_hash=previous_hash,
                )
                event.hash = chained_hash(event_payload(event), previous_hash)
                previous_hash = event.hash
                events.append(event)
                if action == "publish":
                    # The publication pointer, as services.publish sets it.
                    report.live_revision, report.live_since = revision, effective
        WorkflowEvent.objects.bulk_create(events, batch_size=BATCH)
        Report.objects.bulk_update(reports, ["live_revision", "live_since"], batch_size=BATCH)


def _kind_heading(kind: str) -> str:
    from reports.models import SectionKind

    return str(SectionKind(kind).label)


def _content_type(name: str) -> str:
    return {
        ".pdf": "application/pdf",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }[Path(name).suffix]


def _with_typo(content: dict) -> dict:
    """The content before a published correction: one character of the first item differs."""
    first_section = content["sections"][0]
    first_item = first_section["items"][0]
    typo_item = {**first_item, "body": first_item["body"].replace("。", "，", 1)}
    typo_section = {**first_section, "items": [typo_item, *first_section["items"][1:]]}
    return {**content, "sections": [typo_section, *content["sections"][1:]]}


def build() -> None:
    """Migrate, load the demo data, add the generated reports, then check them."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from reports import fields
    from reports.history import revisions
    from reports.models import PublicEdition
    from reports.search import indexing
    from reports.search import text as search_text

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_data", force=True, verbosity=0)
    builder = Builder()
    with transaction.atomic():
        organizations = builder.organizations()
    # Items reuse a few hundred paragraphs: memoising the real converter keeps every
    # revision's search text exactly what the portal computes, at a fraction of the time.
    # The same goes for the sanitizer the rich-text fields run on every row they store.
    real_html_to_text, real_sanitize_html = revisions.html_to_text, fields.sanitize_html
    revisions.html_to_text = functools.cache(real_html_to_text)
    fields.sanitize_html = functools.cache(real_sanitize_html)
    try:
        for start in range(0, len(organizations), 60):
            with transaction.atomic():
                builder.reports(organizations[start : start + 60])
        # The search index of the public revisions, as publishing writes it (same memoised converter).
        search_text.html_to_text = revisions.html_to_text
        indexing.index_missing(batch=500)
    finally:
        revisions.html_to_text, fields.sanitize_html = real_html_to_text, real_sanitize_html
        search_text.html_to_text = real_html_to_text
    PublicEdition.advance()
    check()
    # Planner statistics, as a database in service has them from autovacuum.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def check() -> None:
    """The generated working copy is what its public revision froze, and the history verifies."""
    from django.core.management import call_command

    from reports.history.revisions import snapshot
    from reports.models import Report

    report = Report.objects.get(organization__slug=ARTICLE_ORGANIZATION_SLUG, year=ARTICLE_YEAR)
    if snapshot(report) != report.revisions.order_by("-number").first().content:
        sys.exit("bench: the generator's snapshot differs from the portal's snapshot(); update bench/dataset.py")
    call_command("verify_history", verbosity=0)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    build()


if __name__ == "__main__":
    main()
