"""Run every detector over a report snapshot or a plain text.

Pure apart from the stored link results passed in: the same content, word lists and
link results always give the same findings, so the admin, the workflow's gates, the
rescan of published reports and ``check_text`` agree.
"""

from django.utils.translation import gettext as _

from reports.checking import links, personal_data, structure
from reports.checking.findings import Finding, Part, PartKind, report_parts
from reports.checking.models import LinkCheck
from reports.checking.wordlists import WordList


def check_content(
    content: dict, *, wordlist: WordList, link_results: dict[str, LinkCheck] | None = None
) -> list[Finding]:
    """Findings for every text of a snapshot, in reading order, each with its place and sentence."""
    year = content["year"]
    found = []
    filled: set[int] = set()
    for part in report_parts(content):
        found.extend(part.place(_part_findings(part, wordlist, year, link_results or {})))
        if part.section is not None and part.text.strip():
            filled.add(part.section)
    kinds = [section["kind"] for section in content["sections"]]
    structure_part = Part("sections", _("报告结构"), "", PartKind.LINES)
    found.extend(structure_part.place(structure.statutory_parts(kinds, filled)))
    return found


def check_text(text: str, *, wordlist: WordList, year: int | None = None) -> list[Finding]:
    """Findings for a plain text (``check_text``): word lists, personal data, dates, heading numbers."""
    part = Part("text", "", text, PartKind.DOCUMENT)
    return part.place(_part_findings(part, wordlist, year, {}))


def _part_findings(part: Part, wordlist: WordList, year: int | None, link_results: dict) -> list[Finding]:
    text = part.text
    found = [*wordlist.find(text, year=year), *personal_data.find(text), *structure.impossible_dates(text)]
    if part.kind == PartKind.TITLE and year is not None:
        found += structure.title_year(text, year)
    elif part.kind == PartKind.HEADING:
        found += structure.typed_heading_number(text)
        if year is not None:
            found += structure.heading_years(text, year)
    elif part.kind == PartKind.RICH:
        found += structure.heading_numbers(text)
        found += structure.images_without_alt(part.html)
        found += links.findings(part, link_results)
    elif part.kind == PartKind.NAME:
        found += structure.undescribed_image_attachment(text, part.extra.get("content_type", ""))
    elif part.kind == PartKind.DOCUMENT:
        found += structure.heading_numbers(text)
    return sorted(found, key=lambda finding: (finding.start, finding.end))
