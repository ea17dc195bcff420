from datetime import datetime

import pytest

from reports.duty.deadlines import SHANGHAI
from reports.models import OrganizationKind
from tests import factories


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def district(db):
    return factories.make_organization(name="测试区", kind=OrganizationKind.DISTRICT)


@pytest.fixture
def owing(district):
    """A street of the district that owes a report every year."""
    return factories.make_organization(parent=district, reports_annually=True)


@pytest.fixture
def inspector(district):
    return factories.make_inspector(district)
