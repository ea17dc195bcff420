"""The demo seed report (磐东街道 2019年度) for tests of the public site, two ways.

``load_seed_fixture`` loads its fixtures (fixtures/0001, 0002) as ``make run`` does, without
the rest of the demo (the duty demo's thirteen reports through the workflow cost three times
as much, and the pages these tests read do not need them);
``import_seed_report`` imports the seed text as a clerk would and publishes it through
the workflow, keeping the old site's publish time.
"""

from pathlib import Path

from django.conf import settings

from reports import services
from reports.importing import writer
from reports.management.commands.load_demo_data import load_fixture
from reports.models import Organization, Report
from reports.search.indexing import index_missing
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "tests" / "data" / "pandong_2019.txt"


def load_seed_fixture() -> Report:
    for name in ("0001_organizations.json", "0002_pandong_2019.json"):
        load_fixture(settings.BASE_DIR / "fixtures" / name)
    index_missing()
    return Report.objects.get(organization__slug="pandong", year=2019)


def import_seed_report() -> Report:
    """Import the seed text as a clerk would and publish it through the workflow."""
    organization = Organization.objects.filter(slug="pandong").first() or factories.make_organization(
        name="磐东街道",
        short_name="磐东",
        slug="pandong",
        code="11445203MB2C00000X",
        sign_off_names="磐东街道党工委\n磐东街道办事处",
    )
    clerk = factories.make_clerk(organization)
    editor = factories.make_editor(organization)
    result = writer.import_text(
        organization=organization,
        text=SEED_TEXT.read_text(encoding="utf-8"),
        user=clerk,
        source_name=SEED_TEXT.name,
        legacy=True,
    )
    report = result.report
    services.submit_for_review(report=report, user=clerk)
    services.approve(report=report, user=editor, secrecy_checked=True)
    services.publish(report=report, user=editor)
    report.refresh_from_db()
    return report
