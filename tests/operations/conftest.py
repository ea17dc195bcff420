import pytest

from tests.operations.servers import RedisServer, require


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
