"""Log output for operators: outage warnings at most once a minute, and JSON lines on request.

During an outage every request meets the same failure; a line per request would bury
everything else in the log. ``OutageLog`` writes the first failure at once, then at most
one line a minute saying how many more there were, and one line when it is over.
"""

import json
import logging
import threading
import time
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record was passed as ``extra``.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class OutageLog:
    """Warnings about one failing component, at most one per ``interval`` seconds."""

    def __init__(self, logger: logging.Logger, component: str, interval: float = 60.0):
        self.logger = logger
        self.component = component
        self.interval = interval
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._last_logged = 0.0
        self._unlogged = 0

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def failure(self, error: BaseException) -> None:
        with self._lock:
            now = time.monotonic()
            first = self._down_since is None
            if first:
                self._down_since = now
            elif now - self._last_logged < self.interval:
                self._unlogged += 1
                return
            repeated, self._unlogged, self._last_logged = self._unlogged, 0, now
        extra = {"component": self.component, "outage": "down"}
        if first:
            self.logger.warning("%s unavailable: %s", self.component, _first_line(error), extra=extra)
        else:
            self.logger.warning(
                "%s still unavailable: %s (%d more failures since the last message)",
                self.component,
                _first_line(error),
                repeated,
                extra=extra,
            )

    def recovery(self) -> None:
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            lasted, self._down_since, self._unlogged = time.monotonic() - self._down_since, None, 0
        self.logger.warning(
            "%s available again after %.1f s",
            self.component,
            lasted,
            extra={"component": self.component, "outage": "up"},
        )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((name, value) for name, value in vars(record).items() if name not in _STANDARD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
