"""Site-wide facts every public template shows (header, footer), and the reader's choices."""

import re

from django.conf import settings
from django.utils.http import urlencode

from reports.public.preferences import current_preferences


def site(request):
    return {
        "site": {
            "name": settings.PORTAL_SITE_NAME,
            "sponsor": settings.PORTAL_SPONSOR,
            "contact": settings.PORTAL_CONTACT,
            "site_code": settings.PORTAL_SITE_CODE,
            "icp_number": settings.PORTAL_ICP_NUMBER,
            "psb_number": settings.PORTAL_PSB_NUMBER,
            "psb_url": "https://beian.mps.gov.cn/#/query/webSearch?"
            + urlencode({"code": "".join(re.findall(r"\d", settings.PORTAL_PSB_NUMBER))}),
            "organizer": settings.PORTAL_ORGANIZER,
            "conac_url": settings.PORTAL_CONAC_URL,
            # The national platform where anyone may report an error on a government site (政府网站找错).
            "error_finder_url": "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteById.action?"
            + urlencode({"siteCode": settings.PORTAL_SITE_CODE}),
        },
        "reader": current_preferences(request),
    }
