"""Site-wide facts every public template shows (header, footer)."""

from django.conf import settings


def site(request):
    return {
        "site": {
            "name": settings.PORTAL_SITE_NAME,
            "sponsor": settings.PORTAL_SPONSOR,
            "contact": settings.PORTAL_CONTACT,
            "site_code": settings.PORTAL_SITE_CODE,
            "icp_number": settings.PORTAL_ICP_NUMBER,
            "psb_number": settings.PORTAL_PSB_NUMBER,
        }
    }
