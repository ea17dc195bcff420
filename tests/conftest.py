import pytest

from tests import factories


@pytest.fixture
def organization(db):
    return factories.make_organization()


@pytest.fixture
def other_organization(db):
    return factories.make_organization()


@pytest.fixture
def clerk(organization):
    return factories.make_clerk(organization)


@pytest.fixture
def other_clerk(other_organization):
    return factories.make_clerk(other_organization)


@pytest.fixture
def editor(organization):
    return factories.make_editor(organization)


@pytest.fixture
def auditor(db):
    return factories.make_auditor()


@pytest.fixture
def superuser(db):
    return factories.make_user(is_superuser=True)


@pytest.fixture
def report(organization, clerk):
    return factories.make_report(organization=organization, author=clerk)


@pytest.fixture
def published_report(organization, clerk, editor):
    return factories.make_published_report(organization=organization, author=clerk, editor=editor)
