from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(f"{settings.ADMIN_PATH}/two-factor/", include("accounts.urls")),
    path(f"{settings.ADMIN_PATH}/", admin.site.urls),
    path("", include("reports.urls")),
]

# The 500 page in the site's design; Django's default renders it without the site's context.
handler500 = "reports.views.errors.server_error"
