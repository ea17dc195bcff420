from datetime import datetime

import pytest

from reports.duty.deadlines import SHANGHAI
from tests import factories


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def owing(district):
    """A street of the district that owes a report every year."""
    return factories.make_organization(parent=district, reports_annually=True)
