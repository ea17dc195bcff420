"""The open data API: read-only, public, no login; published reports only.

Every response is made once per public state (``reports.models.public_state()``) and kept
(``reports.public.caching.kept``), so the next request after a publication, a withdrawal or
a schedule coming due gets fresh data and nothing needs purging. On every request:

- the rate limit per client address (``OpenDataRateThrottle``, Django's cache);
- ``ETag`` (weak: the same facts give the same data, though ``generated_at`` may differ after
  a cache eviction) and ``Last-Modified`` (the public site's last change), and the
  conditional GET answer 304 when the client's copy is current;
- ``Access-Control-Allow-Origin: *`` on GET, HEAD and the preflight, never with credentials.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from accounts.client import client_ip
from reports.models import Organization, public_state
from reports.opendata import bulk, serializers
from reports.opendata.documents import (
    contents_of,
    organization_document,
    published_reports,
    report_document,
    summary_document,
)
from reports.public import caching
from reports.public.archive import archive
from reports.public.queries import last_public_change

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After, Content-Disposition",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
JSON = "application/json"


class OpenDataRateThrottle(SimpleRateThrottle):
    """Requests per client address (``accounts.client.client_ip``, the one rule of who the client is)."""

    scope = "opendata"
    setting = "OPEN_DATA_RATE_LIMIT"

    def get_rate(self) -> str:
        return getattr(settings, self.setting)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class BulkRateThrottle(OpenDataRateThrottle):
    """Bulk files are large: fewer of them per client address."""

    scope = "opendata_bulk"
    setting = "OPEN_DATA_BULK_RATE_LIMIT"


def throttle_for(path: str) -> type[OpenDataRateThrottle]:
    """The rate limit of an open data address: bulk files have their own, lower one."""
    return BulkRateThrottle if "/bulk/" in path else OpenDataRateThrottle


def response_facts(request, state: tuple) -> tuple:
    """What an open data response depends on: the address with its query, scheme, host, public state,
    and the date (a unit's archive gains a year owed when a deadline passes)."""
    return (request.get_full_path(), request.scheme, request.get_host(), state, timezone.localdate().isoformat())


class ReportPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response_schema(self, schema):
        # DRF writes OpenAPI 3.0's "nullable"; the document is OpenAPI 3.1 (JSON Schema 2020-12).
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": str(_("符合条件的报告总数"))},
                "next": {**link, "description": str(_("下一页地址；没有则为 null"))},
                "previous": {**link, "description": str(_("上一页地址；没有则为 null"))},
                "results": schema,
            },
        }


class ServeAsIs(BaseContentNegotiation):
    """Files are what they are, whatever the client's Accept header asks for."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return None


class OpenDataView(GenericAPIView):
    """A read-only, public, cached, conditional, CORS-open, rate-limited view; subclasses say what to build."""

    authentication_classes = []
    permission_classes = []
    renderer_classes = [JSONRenderer]
    parser_classes = []
    http_method_names = ["get", "head", "options"]

    def get_throttles(self):
        return [throttle_for(self.request.path_info)()]

    def build(self, request, **kwargs) -> tuple[bytes, str, str]:
        """(body, content type, download file name or "") of the response; may raise NotFound or ValidationError."""
        raise NotImplementedError

    def get(self, request, **kwargs):
        state = public_state()
        facts = response_facts(request, state)
        digest = hashlib.sha256(repr((caching.version(), facts)).encode()).hexdigest()[:32]
        etag = f'W/"{digest}"'
        changed = caching.kept("opendata-changed", (state,), last_public_change)
        last_modified = int(changed.timestamp()) if changed else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self._headers(not_modified, etag, last_modified)
        body, content_type, filename = caching.kept("opendata", facts, lambda: self.build(request, **kwargs))
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # The same for every reader: reports.opendata.middleware may keep it whole and replay it.
        response.open_data = True
        return self._headers(response, etag, last_modified)

    def _headers(self, response, etag: str, last_modified: int | None):
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        # Clients may keep a copy, and must ask (conditionally) before reusing it.
        response["Cache-Control"] = "public, no-cache"
        return response

    def options(self, request, *args, **kwargs):
        """The CORS preflight (a conditional GET from a browser script sends If-None-Match)."""
        return HttpResponse(status=204, headers=PREFLIGHT_HEADERS)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            for name, value in CORS_HEADERS.items():
                response[name] = value
        return response

    def render_json(self, data) -> bytes:
        return JSONRenderer().render(data)


@extend_schema(
    summary=_("已发布报告列表"),
    description=_("按年度（新的在前）、单位顺序排列，每页 20 条（page_size 最大 100）。只含已发布报告的公开版本。"),
    parameters=[serializers.ReportFilterSerializer],
    responses={
        200: serializers.ReportSummarySerializer(many=True),
        400: OpenApiResponse(description=_("筛选条件无效")),
    },
)
class ReportListView(OpenDataView):
    pagination_class = ReportPagination
    serializer_class = serializers.ReportSummarySerializer

    def build(self, request, **kwargs):
        filters = serializers.ReportFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        reports = published_reports()
        given = filters.validated_data
        if "year" in given:
            reports = reports.filter(year=given["year"])
        if "organization" in given:
            reports = reports.filter(organization__slug=given["organization"])
        if "region" in given:
            reports = reports.filter(organization__in=_region(given["region"]))
        if "kind" in given:
            reports = reports.filter(organization__kind=given["kind"])
        page = self.paginate_queryset(reports)
        documents = [summary_document(request, report) for report in page]
        data = self.get_paginated_response(serializers.ReportSummarySerializer(documents, many=True).data).data
        return self.render_json(data), JSON, ""


def _region(slug: str):
    """The unit named ``slug`` and the units directly under it."""
    return Organization.objects.filter(slug=slug) | Organization.objects.filter(parent__slug=slug)


def _published_report(*, year: int, org: str):
    report = published_reports().filter(year=year, organization__slug=org).first()
    if report is None:
        raise NotFound(_("没有找到这份已发布的报告。"))
    return report


@extend_schema(
    summary=_("一份已发布报告的全文"),
    description=_("公开版本的全部内容：各法定部分、条目（编号与网页一致）、附件、上年工作安排落实情况与数据来源。"),
    responses={200: serializers.ReportDetailSerializer, 404: OpenApiResponse(description=_("没有这份已发布的报告"))},
)
class ReportDetailView(OpenDataView):
    serializer_class = serializers.ReportDetailSerializer

    def build(self, request, *, year: int, org: str):
        report = _published_report(year=year, org=org)
        content = contents_of([report])[report.public_revision_id]
        document = report_document(request, report, content)
        return self.render_json(serializers.ReportDetailSerializer(document).data), JSON, ""


@extend_schema(
    summary=_("单位列表"),
    responses={200: serializers.OrganizationSerializer(many=True)},
)
class OrganizationListView(OpenDataView):
    serializer_class = serializers.OrganizationSerializer

    def build(self, request, **kwargs):
        organizations = Organization.objects.select_related("parent")
        documents = [organization_document(organization) for organization in organizations]
        return self.render_json(serializers.OrganizationSerializer(documents, many=True).data), JSON, ""


@extend_schema(
    summary=_("单位历年报告"),
    description=_("该单位已发布的报告按年度排列（新的在前），并标出应报告而未在本网发布的年度。"),
    responses={200: serializers.OrganizationArchiveSerializer, 404: OpenApiResponse(description=_("没有这个单位"))},
)
class OrganizationArchiveView(OpenDataView):
    serializer_class = serializers.OrganizationArchiveSerializer

    def build(self, request, *, slug: str):
        organization = Organization.objects.select_related("parent").filter(slug=slug).first()
        if organization is None:
            raise NotFound(_("没有这个单位。"))
        by_pk = {report.pk: report for report in published_reports().filter(organization=organization)}
        years = [
            {
                "year": entry.year,
                "published": not entry.missing,
                "report": summary_document(request, by_pk[entry.report.pk]) if entry.report else None,
            }
            for entry in archive(organization)
        ]
        document = {**organization_document(organization), "years": years}
        return self.render_json(serializers.OrganizationArchiveSerializer(document).data), JSON, ""


@extend_schema(
    summary=_("按年度批量下载"),
    description=_(
        "某一年度全部已发布报告：json（与详情接口相同的结构）、csv（每个条目一行，UTF-8 带 BOM）或 xlsx（含数据字典）。"
    ),
    parameters=[
        OpenApiParameter("year", int, OpenApiParameter.PATH, description=_("报告年度")),
        OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(bulk.FORMATS), description=_("文件格式")),
    ],
    responses={
        (200, "application/json"): OpenApiTypes.OBJECT,
        (200, "text/csv"): OpenApiTypes.BINARY,
        (200, bulk.XLSX): OpenApiTypes.BINARY,
        404: OpenApiResponse(description=_("该年度没有已发布的报告")),
    },
)
class BulkFileView(OpenDataView):
    content_negotiation_class = ServeAsIs

    def build(self, request, *, year: int, fmt: str):
        if fmt not in bulk.FORMATS:
            raise NotFound(_("没有这种格式。"))
        reports = list(published_reports().filter(year=year))
        if not reports:
            raise NotFound(_("该年度没有已发布的报告。"))
        contents = contents_of(reports)
        generated_at = timezone.now()
        documents = [
            report_document(request, report, contents[report.public_revision_id], generated_at=generated_at)
            for report in reports
        ]
        body, content_type = bulk.FORMATS[fmt](request, year, documents, generated_at)
        return body, content_type, f"reports-{year}.{fmt}"


@extend_schema(
    summary=_("批量文件的数据字典"),
    responses={(200, "text/csv"): OpenApiTypes.BINARY},
)
class DictionaryView(OpenDataView):
    content_negotiation_class = ServeAsIs

    def build(self, request, **kwargs):
        return bulk.dictionary_csv(), bulk.CSV, "dictionary.csv"


@extend_schema(exclude=True)
class SchemaView(SpectacularJSONAPIView):
    """The OpenAPI document, made once per release (it depends on the code alone)."""

    authentication_classes = []
    permission_classes = []
    throttle_classes = [OpenDataRateThrottle]

    def get(self, request, *args, **kwargs):
        data = caching.kept("openapi", (), lambda: super(SchemaView, self).get(request, *args, **kwargs).data)
        response = Response(data)
        response["Cache-Control"] = "public, no-cache"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response
