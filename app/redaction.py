"""Secrets never reach the logs: bearer tokens, passwords, signed tokens and Stripe keys are redacted.

Installed as a log-record factory, so every record is cleaned when it is made, whichever handler (ours,
uvicorn's, pytest's) writes it; tracebacks are formatted and cleaned too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "[REDACTED]"
_KEY = r"(?:authorization|password|passwd|secret|token|api[_-]?key|client[_-]?secret|secret[_-]?key)"
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Authorization: Bearer x", {"authorization": "Bearer x"}, password="x", password: "x", token=x
    (re.compile(rf"(\b\w*{_KEY}\w*[\"']?\s*[:=]\s*[\"']?)(?:bearer\s+)?[^\s\"',;&}}]+", re.IGNORECASE), rf"\1{MASK}"),
    (re.compile(r"\bbearer\s+[\w.~+/=-]+", re.IGNORECASE), f"Bearer {MASK}"),
    # Signed tokens (JWT) wherever they appear.
    (re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]+"), MASK),
    # Stripe secret / restricted / publishable keys, webhook secrets, PaymentIntent client secrets.
    (re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_\w+"), MASK),
    (re.compile(r"\bwhsec_\w+"), MASK),
    (re.compile(r"\b\w+_secret_\w+"), MASK),
    # Passwords inside URLs: scheme://user:password@host
    (re.compile(r"(://[^:/\s@]+:)[^@\s]+@"), rf"\1{MASK}@"),
)


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


_installed = False


def install_log_redaction() -> None:
    """Wraps the log-record factory once; records then carry only redacted text."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()
    formatter = logging.Formatter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logging module's to report
            return record
        cleaned = redact(message)
        if cleaned != message:
            _clean(record, cleaned)
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(formatter.formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    logging.setLogRecordFactory(factory)


def _arg(value: Any) -> Any:
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


def _clean(record: logging.LogRecord, cleaned: str) -> None:
    """Redacts the format and its arguments one by one, so formatters that read `args` (uvicorn's access log)
    still work; if that cannot be done faithfully, the record keeps only the redacted text."""
    record.msg = redact(str(record.msg))
    if isinstance(record.args, tuple):
        record.args = tuple(_arg(a) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _arg(v) for k, v in record.args.items()}
    try:
        if record.getMessage() == cleaned:
            return
    except (TypeError, ValueError, KeyError):  # formatting changed shape: keep the plain redacted text
        pass
    record.msg, record.args = cleaned, ()


__all__ = ["MASK", "install_log_redaction", "redact"]
