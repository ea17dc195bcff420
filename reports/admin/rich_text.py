"""The rich-text editor on the report's rich fields (preamble, section intros, item bodies).

Which editor and why: TipTap 3 (ProseMirror underneath), MIT-licensed and actively kept. Its
schema is declared in code, so static/js/admin-rich-text.js allows exactly what
``reports.sanitize`` keeps (paragraphs, h3/h4, bold, italic, underline, lists, quotes,
tables with colspan/rowspan, links) and renders it in the sanitizer's own form; it needs no
inline script, and with its CSS injection turned off no inline style, so it works under the
strict Content-Security-Policy. Trix and Quill were ruled out: Trix inserts a <style>
element and has no tables; Quill's list and table markup (``data-list``, ``data-row``) is not
what the sanitizer keeps, and it drops table headers and spans on load. TipTap is vendored as
one built file (static/vendor/tiptap/, rebuilt with ``make editor``), so the portal runs with
Python alone; without it the plain textarea works as before.
"""

from django import forms

from reports.fields import RichTextField

RICH_TEXT_ATTRS = {"data-rich-text": "1"}


class RichTextMedia:
    """The editor's files, for the change page that holds the rich fields."""

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["css/admin-rich-text.css"]},
            js=["vendor/tiptap/tiptap.min.js", "js/admin-rich-text.js"],
        )


class RichTextFieldsMixin:
    """Marks the rich-text fields' textareas for the editor."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, RichTextField) and field is not None:
            field.widget.attrs.update(RICH_TEXT_ATTRS)
        return field
