import pytest

from tests.operations.servers import RedisServer, require


@pytest.fixture
def redis_server(tmp_path):
    require("redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
