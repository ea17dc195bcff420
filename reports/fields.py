"""Model fields that clean their text on the way into the database, whatever the path.

Cleaning happens in ``pre_save``, which ``Model.save()`` and ``QuerySet.bulk_create()``
both call, so a form, the importer, a restore and the benchmark's generator store the
same thing and the rule lives here alone. Lookups are left untouched (``pre_save`` is
not called for them), so a search for ``<p>`` still means what it says.
"""

from django.db import models

from reports.sanitize import plain_text, sanitize_html


class RichTextField(models.TextField):
    """HTML reduced to the allow-list of ``reports.sanitize`` before it is stored."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(str(getattr(model_instance, self.attname) or ""))
        setattr(model_instance, self.attname, value)
        return value


class PlainTextField(models.CharField):
    """One line of text with no markup, as titles and headings hold (see ``plain_text``)."""

    def pre_save(self, model_instance, add):
        value = plain_text(str(getattr(model_instance, self.attname) or ""))
        setattr(model_instance, self.attname, value)
        return value


class PlainLinesField(models.TextField):
    """Several lines of plain text, one entry a line (signatories), empty lines dropped."""

    def pre_save(self, model_instance, add):
        lines = (plain_text(line) for line in (str(getattr(model_instance, self.attname) or "")).splitlines())
        value = "\n".join(line for line in lines if line)
        setattr(model_instance, self.attname, value)
        return value
