import pytest

from tests.servers import RedisServer, database_url_of_tests, production_env, require


@pytest.fixture
def redis_server(tmp_path):
    require("redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fresh_outage_log(monkeypatch):
    """Each test starts with the database seen as available: an outage of one test is not the next one's."""
    from operations import database
    from operations.logs import OutageLog

    monkeypatch.setattr(database, "outage_log", OutageLog(database.logger, "Database"))


@pytest.fixture
def server_env(tmp_path, static_root):
    """The environment of gunicorn in production mode against the test database."""
    return production_env(tmp_path, database_url_of_tests(), static_root=static_root)
