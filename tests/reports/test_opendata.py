"""The open data API and bulk files: what they say, conditional GET, CORS, the rate limit, the OpenAPI schema."""

import csv
import io

import jsonschema
import openpyxl
import pytest
from django.urls import reverse
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from reports import services
from reports.followthrough import plans_of
from reports.models import Revision
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(organization, clerk, editor):
    """Two consecutive published years, the later one saying what came of the earlier one's first plan."""
    previous, current = factories.make_consecutive_reports(organization=organization, clerk=clerk, editor=editor)
    plan = plans_of(Revision.objects.get(pk=previous.live_revision_id).content)[0]
    measures, _plans = factories.measure_and_plan_keys(current)
    current.refresh_from_db()
    entries = [services.PlanReviewEntry(plan.key, "done", "按期完成。", [measures[1]])]
    services.review_plans(report=current, user=clerk, entries=entries, expected_version=current.version)
    services.submit_for_review(report=current, user=clerk)
    services.approve(report=current, user=editor, secrecy_checked=True)
    services.publish(report=current, user=editor)
    current.refresh_from_db()
    return previous, current, plan, measures


def detail_url(report) -> str:
    return reverse("opendata:report_detail", kwargs={"year": report.year, "org": report.organization.slug})


def bulk_url(year: int, fmt: str) -> str:
    return reverse("opendata:bulk", kwargs={"year": year, "fmt": fmt})


# --- What the API says -----------------------------------------------------------------------


def test_detail_gives_sections_by_kind_items_numbered_as_shown_and_the_plan_review(client, linked):
    previous, current, plan, measures = linked

    data = client.get(detail_url(current)).json()

    kinds = ["measures", "shortcomings", "leadership", "plans", "other"]
    assert [section["kind"] for section in data["sections"]] == kinds
    assert [section["number"] for section in data["sections"]] == ["一、", "二、", "三、", "四、", "五、"]
    assert [(item["number"], item["key"]) for item in data["sections"][0]["items"]] == [
        ("（一）", measures[0]),
        ("（二）", measures[1]),
    ]
    assert data["revision"]["hash"] == Revision.objects.get(pk=current.live_revision_id).hash
    assert data["provenance"]["revision_hash"] == data["revision"]["hash"]
    review = data["plan_review"]
    assert review["previous"]["revision_hash"] == Revision.objects.get(pk=previous.live_revision_id).hash
    assert review["items"][0] | {"measures": None} == {
        "plan_key": plan.key,
        "number": "（一）",
        "plan_text": plan.text,
        "status": "done",
        "status_label": "已完成",
        "note": "按期完成。",
        "measures": None,
    }
    assert review["items"][0]["measures"] == [{"key": measures[1], "number": "（二）"}]


def test_detail_lists_attachments_with_size_and_checksum(client, published_report):
    content = Revision.objects.get(pk=published_report.live_revision_id).content
    assert client.get(detail_url(published_report)).json()["attachments"] == content["attachments"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {2019, 2020}),
        ({"year": "2019"}, {2019}),
        ({"kind": "street"}, {2019, 2020}),
        ({"kind": "town"}, set()),
    ],
)
def test_list_filters(client, linked, query, expected):
    results = client.get(reverse("opendata:report_list"), query).json()["results"]
    assert {entry["year"] for entry in results} == expected


def test_list_filters_by_organization_and_region(client, linked, organization):
    district = factories.make_organization(kind="district")
    organization.parent = district
    organization.save()
    other = factories.make_published_report(year=2019)

    def years(**query):
        response = client.get(reverse("opendata:report_list"), query).json()
        return sorted((entry["organization"]["slug"], entry["year"]) for entry in response["results"])

    assert years(organization=organization.slug) == [(organization.slug, 2019), (organization.slug, 2020)]
    assert years(region=district.slug) == [(organization.slug, 2019), (organization.slug, 2020)]
    assert years(organization=other.organization.slug) == [(other.organization.slug, 2019)]


@pytest.mark.parametrize("query", [{"year": "二〇二〇"}, {"kind": "planet"}, {"year": "99999999999999999999"}])
def test_list_refuses_a_bad_filter_with_400(client, query):
    response = client.get(reverse("opendata:report_list"), query)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_list_pages(client, linked):
    first = client.get(reverse("opendata:report_list"), {"page_size": 1}).json()
    assert first["count"] == 2 and len(first["results"]) == 1 and first["next"]
    assert client.get(reverse("opendata:report_list"), {"page": 9}).status_code == 404


def test_organization_archive_marks_years_owed_but_not_published(client, organization, clerk, editor, clock):
    organization.reports_annually = True
    organization.save()
    factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2017)
    factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2019)

    data = client.get(reverse("opendata:organization_detail", kwargs={"slug": organization.slug})).json()

    # The clock stands at 27 May 2020: the report on 2019 was due on 1 April.
    assert [(entry["year"], entry["published"]) for entry in data["years"]] == [
        (2019, True),
        (2018, False),
        (2017, True),
    ]


def test_unknown_report_or_unit_is_404(client, organization):
    assert client.get(reverse("opendata:report_detail", kwargs={"year": 2019, "org": "nobody"})).status_code == 404
    assert client.get(reverse("opendata:organization_detail", kwargs={"slug": "nobody"})).status_code == 404


# --- Conditional GET, CORS, rate limit --------------------------------------------------------


def test_conditional_get_answers_304_until_something_is_published(client, linked, organization, clerk, editor):
    url = reverse("opendata:report_list")
    first = client.get(url)

    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    factories.make_published_report(organization=organization, author=clerk, editor=editor, year=2021)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert {entry["year"] for entry in again.json()["results"]} == {2019, 2020, 2021}


@pytest.mark.parametrize("name", ["list", "detail", "bulk"])
def test_a_kept_response_is_replayed_whole_with_one_query_a_request(client, linked, django_assert_num_queries, name):
    _previous, current, _plan, _measures = linked
    url = {"list": reverse("opendata:report_list"), "detail": detail_url(current), "bulk": bulk_url(2020, "csv")}[name]
    first = client.get(url)

    with django_assert_num_queries(2):  # the public state, once per request
        again = client.get(url)
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.content == first.content
    assert {name: again[name] for name in ("ETag", "Last-Modified", "Access-Control-Allow-Origin", "Content-Type")} == {
        name: first[name] for name in ("ETag", "Last-Modified", "Access-Control-Allow-Origin", "Content-Type")
    }
    assert "Content-Security-Policy" in again
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == first["ETag"]


def test_a_withdrawal_moves_last_modified(clock, client, linked, editor):
    _previous, current, _plan, _measures = linked
    url = reverse("opendata:report_list")
    first = client.get(url)
    clock.advance(days=1)

    services.withdraw(report=current, user=editor, reason="内容有误")

    response = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert {entry["year"] for entry in response.json()["results"]} == {2019}


def test_get_is_open_to_any_origin_without_credentials(client, linked):
    _previous, current, _plan, _measures = linked
    response = client.get(detail_url(current), HTTP_ORIGIN="https://example.org")
    preflight = client.options(
        detail_url(current), HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_writes_are_not_allowed(client, linked):
    response = client.post(reverse("opendata:report_list"), {})
    assert response.status_code == 405


def test_one_client_is_limited_and_others_are_not(client, settings, linked):
    settings.OPEN_DATA_RATE_LIMIT = "3/min"
    url = reverse("opendata:report_list")

    statuses = [client.get(url, REMOTE_ADDR="10.0.0.1").status_code for _ in range(4)]
    limited = client.get(url, REMOTE_ADDR="10.0.0.1")

    assert statuses == [200, 200, 200, 429]
    assert int(limited["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


# --- Bulk files -------------------------------------------------------------------------------


def test_csv_has_a_bom_one_row_per_item_and_the_plan_review(client, linked):
    response = client.get(bulk_url(2020, "csv"))

    text = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert text.startswith("\ufeff")
    assert response["Content-Disposition"] == 'attachment; filename="reports-2020.csv"'
    assert [row["row_type"] for row in rows].count("item") == 8  # four sections of two items
    review = next(row for row in rows if row["row_type"] == "plan_review")
    assert (review["plan_status_label"], review["measure_numbers"]) == ("已完成", "（二）")
    assert {row["revision_hash"] for row in rows} == {linked[1].revisions.get(pk=linked[1].live_revision_id).hash}
    assert all(row["generated_at"] and row["licence"] and row["source_url"] for row in rows)


def test_xlsx_has_the_rows_a_dictionary_and_the_provenance(client, linked):
    book = openpyxl.load_workbook(io.BytesIO(client.get(bulk_url(2020, "xlsx")).content), read_only=True)

    assert book.sheetnames == ["说明", "报告", "条目", "数据字典"]
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["来源"] and about["生成时间"] and "CC BY" in about["许可协议"]
    assert len(list(book["条目"].iter_rows())) == 1 + 8 + 2  # header, items, two plans
    assert len(list(book["数据字典"].iter_rows())) == 1 + 25


def test_json_file_holds_every_report_of_the_year_in_full(client, linked):
    data = client.get(bulk_url(2019, "json")).json()
    assert data["format"] == "rule-of-law-portal/open-data"
    assert [report["year"] for report in data["reports"]] == [2019]
    assert data["reports"][0]["sections"][3]["kind"] == "plans"
    assert data["provenance"]["licence"]["url"].startswith("https://")


def test_bulk_file_is_never_stale(client, linked, organization, clerk, editor):
    before = client.get(bulk_url(2019, "json")).json()
    other = factories.make_published_report(year=2019)

    after = client.get(bulk_url(2019, "json")).json()

    assert len(before["reports"]) == 1
    assert {report["organization"]["slug"] for report in after["reports"]} == {
        organization.slug,
        other.organization.slug,
    }


@pytest.mark.parametrize("path", [bulk_url(2018, "json"), "/api/v1/bulk/2019.pdf"])
def test_no_file_for_a_year_without_reports_or_an_unknown_format(client, linked, path):
    assert client.get(path).status_code == 404


def test_dictionary_describes_every_csv_column(client, linked):
    header = client.get(bulk_url(2020, "csv")).content.decode().removeprefix("\ufeff").splitlines()[0].split(",")
    dictionary = list(csv.reader(io.StringIO(client.get(reverse("opendata:dictionary")).content.decode()[1:])))
    assert [row[0] for row in dictionary[1:]] == header


# --- The OpenAPI document ----------------------------------------------------------------------


@pytest.fixture
def openapi(client):
    return client.get(reverse("opendata:schema")).json()


def validator(document: dict, schema: dict):
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))
    return jsonschema.Draft202012Validator({"$ref": "urn:openapi#", **schema}, registry=registry)


def response_schema(document: dict, path: str) -> dict:
    operation = document["paths"][path]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return _rebased(schema)


def _rebased(schema):
    """References inside the document, made absolute so a validator rooted elsewhere resolves them."""
    if isinstance(schema, dict):
        return {key: (f"urn:openapi{value}" if key == "$ref" else _rebased(value)) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_rebased(value) for value in schema]
    return schema


def test_openapi_document_is_openapi_3_1_and_documents_every_endpoint(openapi):
    assert openapi["openapi"].startswith("3.1")
    assert set(openapi["paths"]) == {
        "/api/v1/reports/",
        "/api/v1/reports/{year}/{org}/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/bulk/{year}.{fmt}",
        "/api/v1/bulk/dictionary.csv",
    }


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("/api/v1/reports/", lambda org: "/api/v1/reports/"),
        ("/api/v1/reports/{year}/{org}/", lambda org: f"/api/v1/reports/2020/{org}/"),
        ("/api/v1/organizations/", lambda org: "/api/v1/organizations/"),
        ("/api/v1/organizations/{slug}/", lambda org: f"/api/v1/organizations/{org}/"),
    ],
)
def test_responses_match_the_openapi_document(client, openapi, linked, organization, path, url):
    data = client.get(url(organization.slug)).json()
    schema = response_schema(openapi, path)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator(openapi, schema).iter_errors(data)]
    assert errors == []


def test_a_response_missing_a_field_fails_the_schema(client, openapi, linked, organization):
    """The schema test can fail: a detail without its sections does not validate."""
    data = client.get(f"/api/v1/reports/2020/{organization.slug}/").json()
    del data["sections"]
    schema = response_schema(openapi, "/api/v1/reports/{year}/{org}/")
    assert list(validator(openapi, schema).iter_errors(data))


def test_explanation_page_links_the_schema_the_files_and_the_licence(client, linked):
    page = client.get(reverse("reports:opendata")).content.decode()
    assert reverse("opendata:schema") in page
    assert bulk_url(2020, "xlsx") in page
    assert "CC BY 4.0" in page
    assert "每分钟 120 次" in page
