"""The report's parts on the change page: read once for the whole report, numbered as readers see them.

nested_admin builds one formset per parent (the items of each section, the sub-items of
each item), and each would query its own rows; numbering each row by querying its
siblings cost one more query per row. Here the sections' formset reads the sections with
all their items and sub-items prefetched (three queries whatever the report's length),
the nested formsets take their rows from those prefetched lists, and each row is
numbered by its position in its formset, which is the order readers see.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from reports.models import Item
from reports.numbering import item_number, section_number, subitem_number

NOT_NUMBERED = "—"


def top_level_items():
    """A section's items (（一）（二）…) with their sub-items, as the section's prefetch."""
    return Prefetch("items", queryset=Item.objects.filter(parent=None).prefetch_related("children"))


class PrefetchedRowsFormSetMixin:
    """A formset that takes its rows from its parent's prefetched relation and numbers them."""

    def get_queryset(self):
        if hasattr(self, "_numbered_rows"):
            return self._numbered_rows
        rows = self._prefetched_rows()
        if rows is None:
            rows = super().get_queryset()
        for position, row in enumerate(rows, start=1):
            row.outline_position = position
        self._numbered_rows = rows
        return rows

    def _prefetched_rows(self):
        # A bound formset reads what was posted; an empty queryset means no rows or no permission.
        if self.is_bound or self.instance.pk is None or self.queryset.query.is_empty():
            return None
        accessor = self.fk.remote_field.get_accessor_name()
        return getattr(self.instance, "_prefetched_objects_cache", {}).get(accessor)


class NumberedInlineMixin:
    """An inline whose rows show their number (一、 （一） 1.) in a read-only column."""

    number_format = None  # section_number, item_number or subitem_number

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (PrefetchedRowsFormSetMixin, formset), {})

    @admin.display(description=gettext_lazy("编号"))
    def number(self, row):
        position = getattr(row, "outline_position", None)
        if row.pk is None or position is None:
            return NOT_NUMBERED
        return type(self).number_format(position)


class SectionNumbers(NumberedInlineMixin):
    number_format = section_number

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(top_level_items())


class ItemNumbers(NumberedInlineMixin):
    number_format = item_number


class SubItemNumbers(NumberedInlineMixin):
    number_format = subitem_number
