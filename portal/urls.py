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

# The 500 page in the site's design, or the 503 page when the database is unreachable.
handler500 = "operations.database.server_error"
