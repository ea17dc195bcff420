"""The structure an import reads out of a document, before anything is stored.

Plain dataclasses, so the parser stays free of models. ``as_dict``/``from_dict`` give
the JSON form that ``import_report --dry-run`` prints and that the admin preview carries,
signed, from one step to the next.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime


class ReportTextError(ValueError):
    """The text cannot be read as a report; the message is for the clerk."""


@dataclass
class ParsedItem:
    heading: str
    body: str = ""
    children: list["ParsedItem"] = field(default_factory=list)
    marker: str = ""  # the number as written (（一）, 1.), given back when a heading is merged into text

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedItem":
        return cls(
            heading=str(data.get("heading", "")),
            body=str(data.get("body", "")),
            marker=str(data.get("marker", "")),
            children=[cls.from_dict(child) for child in data.get("children", [])],
        )


@dataclass
class ParsedSection:
    kind: str
    heading: str
    intro: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    unclassified: bool = False
    marker: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedSection":
        return cls(
            kind=str(data["kind"]),
            heading=str(data.get("heading", "")),
            intro=str(data.get("intro", "")),
            items=[ParsedItem.from_dict(item) for item in data.get("items", [])],
            unclassified=bool(data.get("unclassified", False)),
            marker=str(data.get("marker", "")),
        )


@dataclass
class ParsedReport:
    title: str = ""
    preamble: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    signing_date: date | None = None
    source: str | None = None
    published_at: datetime | None = None  # naive, the site's local time (Asia/Shanghai)
    discarded_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["signing_date"] = self.signing_date.isoformat() if self.signing_date else None
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedReport":
        signing_date = data.get("signing_date")
        published_at = data.get("published_at")
        return cls(
            title=str(data.get("title", "")),
            preamble=str(data.get("preamble", "")),
            sections=[ParsedSection.from_dict(section) for section in data.get("sections", [])],
            signatories=[str(name) for name in data.get("signatories", [])],
            signing_date=date.fromisoformat(signing_date) if signing_date else None,
            source=data.get("source"),
            published_at=datetime.fromisoformat(published_at) if published_at else None,
            discarded_lines=[str(line) for line in data.get("discarded_lines", [])],
            warnings=[str(warning) for warning in data.get("warnings", [])],
        )


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a preamble, intro or body as the parser keeps them: one a line."""
    return [line for line in text.split("\n") if line]


def join_paragraphs(parts: list[str]) -> str:
    return "\n".join(part for part in parts if part)
