"""Django's PostgreSQL backend with a health check that costs no round trip.

Django checks a persistent connection before a request's first query by sending
``SELECT 1``: on a public page answered from the page cache that is one round trip in two
(or three, with the article's view count) spent on asking whether the server is still there.

A connection between requests has nothing to read: the server writes to it only to answer.
When the server goes away (a restart, a failover, a terminated backend) it sends its last
message and closes the socket, which makes the socket readable. So a connection psycopg
knows to be closed, or whose socket has something to read, is unusable and Django opens a
new one; any other is used as is. An error during the request still closes it afterwards.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone already
            return False
        return not readable
