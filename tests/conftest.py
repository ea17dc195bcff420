import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction

from reports.models import Organization, OrganizationKind
from reports.search import corpus as search_corpus
from tests import factories
from tests.servers import collect_static

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    """Every transactional test (live server, threads) starts from the migrated data, roles included;
    every test that may use the test database is marked ``database``.

    The flush after a transactional test deletes what the migrations created, and only a
    serialized rollback puts it back. The two kinds cannot be mixed either: a plain flush
    re-creates content types that a serialized test's restore then collides with.

    pytest-django refuses the database to any other test, so a test not marked ``database``
    does the same whichever database is configured: CI runs those once, not once per database.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        options = dict(marker.kwargs) if marker else {}
        fixtures = getattr(item, "fixturenames", ())
        transactional = options.get("transaction") or "live_server" in fixtures or "transactional_db" in fixtures
        if transactional and not options.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**options, "transaction": True, "serialized_rollback": True}))
        if marker or DATABASE_FIXTURES.intersection(fixtures):
            item.add_marker(pytest.mark.database)


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: ids of rolled-back rows come back, and pages cached under them would lie."""
    for alias in caches:
        caches[alias].clear()
    search_corpus.forget()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once (per test process) for every server the tests start in production mode."""
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


@pytest.fixture
def pandong(db):
    """磐东街道 of 揭东区, as the demo fixture defines them (without the demo report)."""
    call_command("loaddata", settings.BASE_DIR / "fixtures" / "0001_organizations.json", verbosity=0)
    return Organization.objects.get(slug="pandong")


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
def district(db):
    return factories.make_organization(name="测试区", kind=OrganizationKind.DISTRICT)


@pytest.fixture
def inspector(district):
    """A 督察员 of the district: follows every unit under it."""
    return factories.make_inspector(district)


@pytest.fixture
def superuser(db):
    return factories.make_user(is_superuser=True)


@pytest.fixture
def report(organization, clerk):
    return factories.make_report(organization=organization, author=clerk)


@pytest.fixture
def published_report(organization, clerk, editor):
    return factories.make_published_report(organization=organization, author=clerk, editor=editor)


@pytest.fixture
def clock():
    """Freeze ``django.utils.timezone.now`` (what the services stamp times with) and move it by hand."""
    with factories.frozen_clock() as frozen:
        yield frozen


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker):
    """One transaction around a module's tests, for rows that module-scoped fixtures make once.

    Each test still runs in its own savepoint inside it (pytest-django's ``db``), so whatever a
    test changes is undone after it, and the shared rows go when the module's tests end. Only
    for modules whose tests are not transactional (a flush cannot run inside the open transaction).
    Module fixtures hand tests primary keys, not model instances a previous test may have changed.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with PostgreSQL's other sessions ended before the drop.

    A session some thread of a test left open (one in the whole run) would make ``DROP DATABASE``
    wait five seconds and then fail, at the end of every test process.
    """
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
