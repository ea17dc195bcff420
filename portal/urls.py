from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from reports.admin.visibility import view_on_site

urlpatterns = [
    path(f"{settings.ADMIN_PATH}/two-factor/", include("accounts.urls")),
    # Ahead of the admin's own "view on site" shortcut, which would reveal any report's unit and year.
    path(f"{settings.ADMIN_PATH}/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path(f"{settings.ADMIN_PATH}/", admin.site.urls),
    path("api/v1/", include("reports.opendata.urls")),
    path("", include("reports.public.urls")),
]

# Error pages in the site's (or, under the admin, the admin's) design and in Chinese;
# Django's defaults are English, and its 500 page renders without the site's context.
handler403 = "reports.public.views.errors.permission_denied"
handler404 = "reports.public.views.errors.page_not_found"
# The 500 page, or the 503 page when the database is unreachable.
handler500 = "operations.database.server_error"
