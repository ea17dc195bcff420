"""The open data API, mounted at /api/v1/ (namespace ``opendata``)."""

from django.urls import path

from reports.opendata import views
from reports.public import urls as public_urls  # noqa: F401  (registers the "year" path converter)

app_name = "opendata"

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<year:year>/<slug:org>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization_list"),
    path("organizations/<slug:slug>/", views.OrganizationArchiveView.as_view(), name="organization_detail"),
    path("bulk/dictionary.csv", views.DictionaryView.as_view(), name="dictionary"),
    path("bulk/<year:year>.<str:fmt>", views.BulkFileView.as_view(), name="bulk"),
    path("openapi.json", views.SchemaView.as_view(), name="schema"),
]
