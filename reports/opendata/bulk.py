"""Yearly bulk files of the published reports: JSON, CSV (one row per item) and .xlsx, with a data dictionary.

Each file carries its provenance: the source site, when it was generated, the licence, and
per report the hash of the public revision it was made from (check it against
``export_history``). The CSV starts with a byte order mark so Excel reads it as UTF-8.
"""

import csv
import io

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from reports.opendata.documents import FORMAT, FORMAT_VERSION, licence, provenance
from reports.opendata.serializers import ReportDetailSerializer

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"

# (column, 中文名, 说明): one row per item of a report, and one per plan of its 上年工作安排落实情况.
ITEM_COLUMNS = [
    ("year", gettext_lazy("报告年度"), gettext_lazy("报告所述的年度")),
    ("organization_slug", gettext_lazy("单位标识"), gettext_lazy("单位的网址标识，如 pandong")),
    ("organization_name", gettext_lazy("单位名称"), gettext_lazy("发布单位（当前名称）")),
    ("index_number", gettext_lazy("索引号"), gettext_lazy("报告的索引号，全站唯一")),
    ("report_title", gettext_lazy("报告标题"), gettext_lazy("公开版本的标题")),
    ("published_at", gettext_lazy("发布时间"), gettext_lazy("在本网首次发布的时间，ISO 8601，北京时间")),
    ("revision_number", gettext_lazy("版本号"), gettext_lazy("公开版本是该报告的第几版")),
    ("revision_hash", gettext_lazy("版本哈希值"), gettext_lazy("公开版本的 SHA-256 哈希值，可与 export_history 核对")),
    ("row_type", gettext_lazy("行类型"), gettext_lazy("item：报告条目；plan_review：上年工作安排落实情况")),
    ("section_number", gettext_lazy("部分编号"), gettext_lazy("如 一、（落实情况行为空）")),
    (
        "section_kind",
        gettext_lazy("法定部分"),
        gettext_lazy("measures、shortcomings、leadership、plans、other 或 plan_review"),
    ),
    ("section_kind_label", gettext_lazy("法定部分名称"), gettext_lazy("如 主要举措和成效")),
    ("section_heading", gettext_lazy("部分标题"), gettext_lazy("该部分在报告中的标题")),
    ("item_number", gettext_lazy("条目编号"), gettext_lazy("网页上显示的编号，如（一）或（一）1.")),
    ("item_level", gettext_lazy("层级"), gettext_lazy("1：条目；2：下级条目")),
    ("item_key", gettext_lazy("条目标识"), gettext_lazy("条目的稳定标识；落实情况行为上年工作安排的标识")),
    ("item_heading", gettext_lazy("小标题"), gettext_lazy("条目小标题；落实情况行为上年工作安排")),
    ("item_text", gettext_lazy("正文"), gettext_lazy("条目正文的纯文本；落实情况行为说明")),
    ("plan_status", gettext_lazy("落实情况"), gettext_lazy("done、in_progress、not_done、adjusted，空为未说明")),
    ("plan_status_label", gettext_lazy("落实情况名称"), gettext_lazy("已完成、推进中、未完成、已调整或未说明")),
    ("measure_numbers", gettext_lazy("对应举措编号"), gettext_lazy("落实该项安排的本年举措编号，用“；”分隔")),
    ("measure_keys", gettext_lazy("对应举措标识"), gettext_lazy("落实该项安排的本年举措的条目标识，用“；”分隔")),
    ("source_url", gettext_lazy("来源网页"), gettext_lazy("报告正文网页地址")),
    ("generated_at", gettext_lazy("生成时间"), gettext_lazy("本文件由公开版本生成的时间；下次发布前内容不变")),
    ("licence", gettext_lazy("许可协议"), gettext_lazy("数据的使用许可")),
]


def dictionary() -> list[dict]:
    return [{"column": name, "label": str(label), "description": str(text)} for name, label, text in ITEM_COLUMNS]


def item_rows(documents: list[dict]) -> list[dict]:
    """One dict per item, sub-item and plan review entry of the reports ``documents`` (serialized details)."""
    rows = []
    for document in documents:
        report = {
            **report_row(document),
            "generated_at": document["provenance"]["generated_at"],
            "licence": document["provenance"]["licence"]["name"],
        }
        for section in document["sections"]:
            where = {
                "section_number": section["number"],
                "section_kind": section["kind"],
                "section_kind_label": section["kind_label"],
                "section_heading": section["heading"],
            }
            for item in section["items"]:
                for level, entry, number in [(1, item, item["number"])] + [
                    (2, child, item["number"] + child["number"]) for child in item["children"]
                ]:
                    rows.append(
                        {
                            **report,
                            **where,
                            "row_type": "item",
                            "item_number": number,
                            "item_level": level,
                            "item_key": entry["key"] or "",
                            "item_heading": entry["heading"],
                            "item_text": entry["body_text"],
                        }
                    )
        for entry in (document["plan_review"] or {}).get("items", []):
            rows.append(
                {
                    **report,
                    "row_type": "plan_review",
                    "section_kind": "plan_review",
                    "section_kind_label": _("上年工作安排落实情况"),
                    "item_number": entry["number"],
                    "item_level": 1,
                    "item_key": entry["plan_key"],
                    "item_heading": entry["plan_text"],
                    "item_text": entry["note"],
                    "plan_status": entry["status"],
                    "plan_status_label": entry["status_label"],
                    "measure_numbers": "；".join(measure["number"] for measure in entry["measures"]),
                    "measure_keys": "；".join(measure["key"] for measure in entry["measures"]),
                }
            )
    columns = [name for name, _label, _text in ITEM_COLUMNS]
    return [{name: row.get(name, "") for name in columns} for row in rows]


def report_row(document: dict) -> dict:
    """The report-level columns of a serialized report."""
    return {
        "year": document["year"],
        "organization_slug": document["organization"]["slug"],
        "organization_name": document["organization"]["name"],
        "index_number": document["index_number"],
        "report_title": document["title"],
        "published_at": document["published_at"],
        "revision_number": document["revision"]["number"],
        "revision_hash": document["revision"]["hash"],
        "source_url": document["url"],
    }


def _serialized(documents: list[dict]) -> list[dict]:
    return [ReportDetailSerializer(document).data for document in documents]


def _about(request, year: int, generated_at) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "year": year,
        "schema_url": request.build_absolute_uri(reverse("opendata:schema")),
        "documentation_url": request.build_absolute_uri(reverse("reports:opendata")),
        "provenance": provenance(request, generated_at=timezone.localtime(generated_at).isoformat()),
    }


def json_file(request, year: int, documents: list[dict], generated_at) -> tuple[bytes, str]:
    data = {**_about(request, year, generated_at), "reports": _serialized(documents)}
    return JSONRenderer().render(data), "application/json"


def csv_file(request, year: int, documents: list[dict], generated_at) -> tuple[bytes, str]:
    stream = io.StringIO()
    stream.write(BOM)
    writer = csv.DictWriter(stream, fieldnames=[name for name, _label, _text in ITEM_COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(item_rows(_serialized(documents)))
    return stream.getvalue().encode("utf-8"), CSV


REPORT_COLUMNS = [
    "year",
    "organization_slug",
    "organization_name",
    "index_number",
    "report_title",
    "published_at",
    "revision_number",
    "revision_hash",
    "source_url",
]


def xlsx_file(request, year: int, documents: list[dict], generated_at) -> tuple[bytes, str]:
    # Loaded on first use, not by every worker at start: public workers never need it (README, "Memory").
    from openpyxl import Workbook

    serialized = _serialized(documents)
    rows = item_rows(serialized)
    book = Workbook(write_only=True)
    about = book.create_sheet(_("说明"))
    facts = _about(request, year, generated_at)
    for label, value in [
        (_("数据"), _("%(year)s年度法治政府建设情况报告（已发布的公开版本）") % {"year": year}),
        (_("来源"), facts["provenance"]["source"]),
        (_("来源网址"), facts["provenance"]["source_url"]),
        (_("生成时间"), facts["provenance"]["generated_at"]),
        (_("许可协议"), f"{licence()['name']} {licence()['url']}"),
        (
            _("核对方法"),
            _("每份报告的“版本哈希值”与 python manage.py export_history 导出的该版本哈希值一致，即为同一内容。"),
        ),
        (_("接口说明"), facts["documentation_url"]),
    ]:
        about.append([label, value])
    reports = book.create_sheet(_("报告"))
    reports.append(REPORT_COLUMNS)
    for document in serialized:
        row = report_row(document)
        reports.append([row[name] for name in REPORT_COLUMNS])
    items = book.create_sheet(_("条目"))
    columns = [name for name, _label, _text in ITEM_COLUMNS]
    items.append(columns)
    for row in rows:
        items.append([row[name] for name in columns])
    glossary = book.create_sheet(_("数据字典"))
    glossary.append([_("列名"), _("中文名"), _("说明")])
    for entry in dictionary():
        glossary.append([entry["column"], entry["label"], entry["description"]])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue(), XLSX


def dictionary_csv() -> bytes:
    stream = io.StringIO()
    stream.write(BOM)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(["column", "label", "description"])
    writer.writerows([entry["column"], entry["label"], entry["description"]] for entry in dictionary())
    return stream.getvalue().encode("utf-8")


FORMATS = {"json": json_file, "csv": csv_file, "xlsx": xlsx_file}
