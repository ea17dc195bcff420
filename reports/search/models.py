"""The search index, the editors' synonyms and the log of what residents searched for.

Imported by ``reports.models``, so these are models of the ``reports`` app.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchText(models.Model):
    """The text of one code (see ``reports.search.text``) of a revision that has been made public.

    Written once, when the revision is first published (or scheduled), and never changed:
    a revision is immutable. ``folded`` is ``text`` as search compares it, character for
    character at the same places, or empty when that is ``text`` itself (most Chinese text).
    """

    # The unique constraint below indexes it.
    revision = models.ForeignKey("reports.Revision", on_delete=models.PROTECT, related_name="+", db_index=False)
    code = models.PositiveSmallIntegerField()
    text = models.TextField()
    folded = models.TextField(blank=True)

    class Meta:
        verbose_name = _("检索文本")
        verbose_name_plural = _("检索文本")
        constraints = [models.UniqueConstraint(fields=["revision", "code"], name="reports_searchtext_once")]

    def __str__(self):
        return f"{self.revision_id}/{self.code}"


class SearchPosting(models.Model):
    """Which indexed revisions contain a gram (any text of one to three characters), and where.

    One row per gram and block of revision ids; ``entries`` packs, for each revision of the
    block that contains the gram, its id and a bit mask of the codes it appears in (see
    ``reports.search.postings``). Every revision holding a phrase of up to three characters
    is found by reading that phrase's rows alone, however common it is.
    """

    gram = models.CharField(max_length=3)
    block = models.PositiveIntegerField()
    entries = models.BinaryField()

    class Meta:
        verbose_name = _("检索倒排项")
        verbose_name_plural = _("检索倒排项")
        constraints = [models.UniqueConstraint(fields=["gram", "block"], name="reports_searchposting_once")]

    def __str__(self):
        return f"{self.gram}/{self.block}"


class SearchTerm(models.Model):
    """A word residents may type in pinyin: a unit's name, a tag, a phrase of a heading.

    Collected from revisions when they are indexed; ``pinyin`` holds the syllables
    separated by spaces, ``spelled`` the same run together, ``initials`` their first letters.
    """

    term = models.CharField(max_length=30, unique=True)
    pinyin = models.CharField(max_length=200)
    spelled = models.CharField(max_length=200, db_index=True)
    initials = models.CharField(max_length=30, db_index=True)

    class Meta:
        verbose_name = _("检索词汇")
        verbose_name_plural = _("检索词汇")

    def __str__(self):
        return self.term


SYNONYM_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_SYNONYM_LENGTH = 50


class SynonymGroupQuerySet(models.QuerySet):
    def delete(self):
        from reports.models import PublicEdition

        result = super().delete()
        PublicEdition.advance()
        return result


class SynonymGroup(models.Model):
    """Words that mean the same to a resident (复议 ↔ 行政复议): searching one finds them all."""

    terms = models.TextField(
        _("同义词"),
        help_text=_(
            "两个或更多意思相同的词，用逗号、顿号或换行分隔，如“复议，行政复议”。搜索其中任何一个词时，会同时查找其他词。"
        ),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)

    objects = SynonymGroupQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self):
        return "、".join(self.term_list())

    def save(self, *args, **kwargs):
        from reports.models import PublicEdition
        from reports.search import vocabulary

        self.terms = "，".join(self.term_list())
        super().save(*args, **kwargs)
        vocabulary.add(self.term_list())  # so they can be typed in pinyin too
        # Search results pages are kept under the public state: they change with the synonyms.
        PublicEdition.advance()

    def delete(self, *args, **kwargs):
        from reports.models import PublicEdition

        result = super().delete(*args, **kwargs)
        PublicEdition.advance()
        return result

    def clean(self):
        terms = self.term_list()
        if len(terms) < 2:
            raise ValidationError({"terms": _("请至少填写两个不同的词。")})
        too_long = [term for term in terms if len(term) > MAX_SYNONYM_LENGTH]
        if too_long:
            message = _("每个词不能超过 %(limit)d 个字：%(term)s")
            raise ValidationError({"terms": message % {"limit": MAX_SYNONYM_LENGTH, "term": too_long[0]}})

    def term_list(self) -> list[str]:
        """The group's words, each once, in the order given."""
        return list(dict.fromkeys(term for term in SYNONYM_SEPARATORS.split(self.terms or "") if term))


class SearchLogEntry(models.Model):
    """How often a phrase was searched on one day, and how many reports it found.

    Nothing about who searched is kept: no address, no account, no time of day.
    """

    day = models.DateField(_("日期"))
    phrase = models.CharField(_("搜索词"), max_length=50)
    results = models.PositiveIntegerField(_("结果数"))
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)

    class Meta:
        ordering = ["-day", "-searches", "phrase"]
        verbose_name = _("搜索记录")
        verbose_name_plural = _("搜索记录")
        constraints = [models.UniqueConstraint(fields=["day", "phrase"], name="reports_searchlog_once_a_day")]

    def __str__(self):
        return f"{self.day} {self.phrase}"
