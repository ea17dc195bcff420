"""Word lists: one-pass matching with exceptions and years, and editing that records every change."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.checking import wordlists
from reports.checking.models import WordListAction, WordListChange, WordListEntry
from reports.checking.wordlists import Word, WordList


def word(wrong, suggestion, **fields) -> Word:
    return Word(wrong=wrong, suggestion=suggestion, severity=fields.pop("severity", "warn"), category="typo", **fields)


def found(words, text, year=None) -> list[tuple[str, str]]:
    return [(finding.text, finding.suggestion) for finding in WordList(words).find(text, year=year)]


def test_wrong_form_is_found_with_its_suggestion_and_offsets():
    text = "认真贯切落实，加强布署。"
    findings = WordList([word("布署", "部署"), word("贯切", "贯彻")]).find(text)
    assert [(f.start, f.end, text[f.start : f.end], f.suggestion, f.rule) for f in findings] == [
        (2, 4, "贯切", "贯彻", "wordlist:贯切"),
        (9, 11, "布署", "部署", "wordlist:布署"),
    ]


def test_longest_of_overlapping_wrong_forms_wins():
    words = [word("法制办", "司法局"), word("法制办公室", "司法局"), word("国务院法制办公室", "司法部")]
    assert found(words, "原由国务院法制办公室负责，区法制办配合。") == [
        ("国务院法制办公室", "司法部"),
        ("法制办", "司法局"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推进法制政府建设", [("法制", "法治")]),
        ("学习法制史", []),  # 法制 inside 法制史, an allowed exception
        ("法制史和法制政府", [("法制", "法治")]),
    ],
)
def test_a_match_inside_one_of_its_exceptions_is_not_a_finding(text, expected):
    assert found([word("法制", "法治", exceptions=("法制史",))], text) == expected


def test_a_phrase_may_be_one_entrys_exception_and_another_entrys_wrong_form():
    words = [word("农业部", "农业农村部", exceptions=("农业部门",)), word("农业部门", "农业农村部门")]
    assert found(words, "农业部门") == [("农业部门", "农业农村部门")]


@pytest.mark.parametrize(("year", "flagged"), [(2017, False), (2018, True), (2020, True), (None, True)])
def test_date_limited_entry_applies_from_its_year(year, flagged):
    words = [word("国家工商行政管理总局", "国家市场监督管理总局", since_year=2018)]
    assert bool(found(words, "国家工商行政管理总局", year=year)) is flagged


def test_empty_list_finds_nothing():
    assert WordList([]).find("布署") == []


# --- The lists in the database --------------------------------------------------------------


@pytest.mark.django_db
def test_starter_list_ships_the_2018_renames_the_fazhi_terms_and_common_misspellings():
    entries = {entry.wrong: entry for entry in WordListEntry.objects.all()}
    assert entries["国务院法制办公室"].suggestion == "司法部"
    assert entries["国家工商行政管理总局"].since_year == 2018
    assert entries["法制宣传教育"].suggestion == "法治宣传教育"
    assert entries["精减机构"].suggestion == "精简机构"
    for entry in entries.values():
        entry.full_clean()
    assert WordListChange.objects.filter(action=WordListAction.ADD, actor=None).count() == len(entries)


@pytest.mark.django_db
def test_an_editor_adding_an_entry_is_recorded_with_its_content(editor):
    entry = WordListEntry(wrong="按装", suggestion="安装", severity="warn", category="typo")
    change = wordlists.save_entry(entry=entry, user=editor)
    assert (change.action, change.actor, change.entry_id, change.before) == (WordListAction.ADD, editor, entry.pk, None)
    assert change.after["suggestion"] == "安装"


@pytest.mark.django_db
def test_changing_an_entry_records_before_and_after(editor):
    entry = WordListEntry.objects.get(wrong="布署")
    entry.severity = "block"
    change = wordlists.save_entry(entry=entry, user=editor)
    assert (change.action, change.before["severity"], change.after["severity"]) == (
        WordListAction.CHANGE,
        "warn",
        "block",
    )


@pytest.mark.django_db
def test_saving_an_unchanged_entry_records_nothing(editor):
    before = WordListChange.objects.count()
    assert wordlists.save_entry(entry=WordListEntry.objects.get(wrong="布署"), user=editor) is None
    assert WordListChange.objects.count() == before


@pytest.mark.django_db
def test_deleting_an_entry_keeps_its_last_content_in_the_log(editor):
    entry = WordListEntry.objects.get(wrong="布署")
    change = wordlists.delete_entry(entry=entry, user=editor)
    assert not WordListEntry.objects.filter(wrong="布署").exists()
    assert (change.action, change.wrong, change.before["suggestion"], change.after) == ("delete", "布署", "部署", None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["clerk", "auditor"])
def test_only_editors_change_the_word_lists(request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        wordlists.save_entry(entry=WordListEntry(wrong="按装", suggestion="安装"), user=user)
    with pytest.raises(PermissionDenied):
        wordlists.delete_entry(entry=WordListEntry.objects.get(wrong="布署"), user=user)


@pytest.mark.django_db
def test_an_exception_must_contain_the_wrong_form(editor):
    entry = WordListEntry(wrong="法制", suggestion="法治", exceptions="法制史\n历史")
    with pytest.raises(ValidationError) as error:
        wordlists.save_entry(entry=entry, user=editor)
    assert "历史" in str(error.value.message_dict["exceptions"])


@pytest.mark.django_db
def test_the_current_list_follows_changes(editor):
    assert not wordlists.current_wordlist().find("按装")
    wordlists.save_entry(entry=WordListEntry(wrong="按装", suggestion="安装"), user=editor)
    assert [finding.suggestion for finding in wordlists.current_wordlist().find("按装")] == ["安装"]


@pytest.mark.django_db
def test_the_current_list_sees_another_servers_change():
    """A row written elsewhere (no local cache reset) moves the version, and the list is rebuilt."""
    wordlists.current_wordlist()
    WordListEntry.objects.create(wrong="按装", suggestion="安装")
    assert wordlists.current_wordlist().find("按装")
