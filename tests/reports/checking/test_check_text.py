"""``manage.py check_text``: one JSON object a line, offsets into the input, status 1 on a block-level finding."""

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args) -> list[dict]:
    out = io.StringIO()
    call_command("check_text", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def run_failing(*args) -> tuple[list[dict], CommandError]:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_text", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()], failure.value


def test_findings_are_printed_with_offsets_into_the_input(tmp_path):
    text = "一、总体情况\n加强布署，推进法治政府建设。\n"
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    (finding,) = run(str(path))
    assert finding == {
        "start": 9,
        "end": 11,
        "text": "布署",
        "kind": "typo",
        "severity": "warn",
        "suggestion": "部署",
        "rule": "wordlist:布署",
    }
    assert text[finding["start"] : finding["end"]] == "布署"


def test_a_block_level_finding_exits_with_status_1(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("联系人手机13812345678。", encoding="utf-8")
    findings, error = run_failing(str(path))
    assert [finding["kind"] for finding in findings] == ["mobile_number"]
    assert error.returncode == 1


def test_a_clean_text_prints_nothing(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("推进法治政府建设。", encoding="utf-8")
    assert run(str(path)) == []


@pytest.mark.parametrize(("year", "expected"), [("2017", []), ("2019", ["国家工商行政管理总局"])])
def test_year_limits_dated_entries(tmp_path, year, expected):
    path = tmp_path / "report.txt"
    path.write_text("国家工商行政管理总局来调研。", encoding="utf-8")
    if expected:
        findings, _error = run_failing(str(path), "--year", year)
    else:
        findings = run(str(path), "--year", year)
    assert [finding["text"] for finding in findings] == expected


def test_text_is_read_from_standard_input_in_gb18030(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("按排工作。".encode("gb18030"))))
    assert [finding["suggestion"] for finding in run("-")] == ["安排"]


@pytest.mark.parametrize("args", [["/no/such/file.txt"], ["-", "--year", "1800"]])
def test_unreadable_input_or_bad_year_exits_with_status_2(args):
    _findings, error = run_failing(*args)
    assert error.returncode == 2
