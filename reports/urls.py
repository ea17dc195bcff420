from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:year>/<slug:org>/", views.report_detail, name="report_detail"),
]
