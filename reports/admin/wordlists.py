"""The word lists of the pre-publication checks: editors edit them, auditors read them, clerks never see them.

Every add, change and delete goes through ``reports.checking.wordlists`` so the change log
records who changed what, when, with the entry before and after.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.checking import wordlists
from reports.checking.models import Severity, WordCategory, WordListChange, WordListEntry
from reports.roles import may_edit_wordlists, may_read_wordlists

# Labels of the fields a change record holds, in the order the entry form shows them.
RECORD_FIELDS = [
    ("wrong", gettext_lazy("错误写法")),
    ("suggestion", gettext_lazy("建议写法")),
    ("severity", gettext_lazy("级别")),
    ("category", gettext_lazy("类别")),
    ("since_year", gettext_lazy("适用起始年度")),
    ("exceptions", gettext_lazy("例外写法")),
    ("note", gettext_lazy("说明")),
]


# Fields whose records hold a choice's code: shown by the choice's label.
CHOICES = {"severity": Severity, "category": WordCategory}


def _value(record: dict | None, name: str) -> str:
    if record is None:
        return "—"
    value = record.get(name)
    if isinstance(value, list):
        return "、".join(value) or "—"
    if name in CHOICES and value in CHOICES[name].values:
        return str(CHOICES[name](value).label)
    return "—" if value in (None, "") else str(value)


def record_difference(change: WordListChange):
    """A small table of the fields a change touched: before → after."""
    rows = [
        (label, _value(change.before, name), _value(change.after, name))
        for name, label in RECORD_FIELDS
        if _value(change.before, name) != _value(change.after, name)
    ]
    if not rows:
        return "—"
    return format_html(
        '<table class="wordlist-diff"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("字段"),
        _("修改前"),
        _("修改后"),
        format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows),
    )


class WordListPermissions:
    def has_module_permission(self, request):
        return may_read_wordlists(request.user)

    def has_view_permission(self, request, obj=None):
        return may_read_wordlists(request.user)


@admin.register(WordListEntry)
class WordListEntryAdmin(WordListPermissions, admin.ModelAdmin):
    list_display = ["wrong", "suggestion", "severity", "category", "since_year", "updated_at"]
    list_filter = ["severity", "category", "since_year"]
    search_fields = ["wrong", "suggestion", "note", "exceptions"]
    fields = ["wrong", "suggestion", "severity", "category", "since_year", "exceptions", "note", "changes"]
    readonly_fields = ["changes"]

    def has_add_permission(self, request):
        return may_edit_wordlists(request.user)

    def has_change_permission(self, request, obj=None):
        return may_edit_wordlists(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_edit_wordlists(request.user)

    @admin.display(description=gettext_lazy("修改记录"))
    def changes(self, entry):
        if entry.pk is None:
            return "—"
        rows = [
            (
                timezone.localtime(change.created_at).strftime("%Y-%m-%d %H:%M"),
                change.actor or _("系统"),
                change.get_action_display(),
                record_difference(change),
            )
            for change in WordListChange.objects.filter(entry_id=entry.pk).select_related("actor")
        ]
        return format_html(
            '<table class="wordlist-changes"><tbody>{}</tbody></table>',
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def save_model(self, request, obj, form, change):
        wordlists.save_entry(entry=obj, user=request.user)

    def delete_model(self, request, obj):
        wordlists.delete_entry(entry=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            wordlists.delete_entry(entry=entry, user=request.user)


@admin.register(WordListChange)
class WordListChangeAdmin(WordListPermissions, admin.ModelAdmin):
    """The append-only change log: read by editors and auditors, changed by no one."""

    list_display = ["created_at", "actor", "action", "wrong", "difference"]
    list_filter = ["action"]
    search_fields = ["wrong"]
    list_select_related = ["actor"]
    fields = ["created_at", "actor", "action", "wrong", "difference"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("修改内容"))
    def difference(self, change):
        return record_difference(change)
