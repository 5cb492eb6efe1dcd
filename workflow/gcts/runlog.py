"""Logging for rule scripts: messages and Python warnings go to the rule's log file."""

import logging
import sys


def start(log_path: str | None, name: str = "gcts") -> logging.Logger:
    handlers = [logging.StreamHandler(sys.stderr)]
    if log_path:
        handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s",
                        handlers=handlers, force=True)
    logging.captureWarnings(True)
    log = logging.getLogger(name)
    previous = sys.excepthook

    def log_uncaught(kind, value, tb):           # the job's log keeps the error that stopped it
        log.error("%s: %s", kind.__name__, value, exc_info=(kind, value, tb))
        previous(kind, value, tb)

    sys.excepthook = log_uncaught
    return log
