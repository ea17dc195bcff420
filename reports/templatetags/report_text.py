"""Filters for rendering a report snapshot: heading numbers, section partials, dates, labels.

Numbers are computed here from positions, never stored, so reordering a section renumbers
everything after it.
"""

from datetime import date
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from reports import numbering
from reports.models import DisclosureMode, SectionKind

register = template.Library()

# Punctuation that already ends a run-in heading, so no 。 is added after it.
_SENTENCE_ENDINGS = ("。", "！", "？", "；", "：", ".", "!", "?")

_FILE_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/ofd": "OFD",
    "application/zip": "ZIP",
    "application/x-zip-compressed": "ZIP",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "text/plain": "TXT",
}


@register.filter
def section_number(position: int) -> str:
    """一、 for the first section."""
    return numbering.section_number(position)


@register.filter
def item_number(position: int) -> str:
    """（一） for the first item of a section."""
    return numbering.item_number(position)


@register.filter
def subitem_number(position: int) -> str:
    """1. for the first point of an item."""
    return numbering.subitem_number(position)


@register.filter
def section_template(section: dict) -> str:
    """The partial for a snapshot section's kind (an unknown kind renders as "other")."""
    kind = section.get("kind")
    if kind not in SectionKind.values:
        kind = SectionKind.OTHER
    return f"reports/sections/{kind}.html"


@register.filter
def tag_url(name: str) -> str:
    """A tag's own page; the list filtered by the tag when its name cannot be one path segment."""
    if name and "/" not in name and name.strip(".") != "":
        return reverse("reports:tag", kwargs={"name": name})
    return f"{reverse('reports:report_list')}?{urlencode({'tag': name})}"


@register.filter
def run_in(heading: str) -> str:
    """A heading set at the start of its paragraph ends its sentence: add 。 unless it has one."""
    heading = heading.strip()
    if not heading or heading.endswith(_SENTENCE_ENDINGS):
        return heading
    return heading + "。"


@register.filter
def iso_date(value: str | None) -> date | None:
    """A snapshot's ISO date string as a date, for the ``date`` filter."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def disclosure_label(value: str) -> str:
    """主动公开 for "proactive"."""
    try:
        return DisclosureMode(value).label
    except ValueError:
        return value


@register.filter
def file_type(attachment: dict) -> str:
    """A reader's name for an attachment's type: PDF, Word, Excel…"""
    content_type = (attachment.get("content_type") or "").split(";")[0].strip().lower()
    if content_type in _FILE_TYPES:
        return _FILE_TYPES[content_type]
    suffix = attachment.get("name", "").rpartition(".")[2]
    return suffix.upper() if suffix and suffix != attachment.get("name") and len(suffix) <= 5 else _("文件")
