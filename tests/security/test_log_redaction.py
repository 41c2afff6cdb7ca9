"""Secrets never reach the logs: the record factory installed by the app redacts messages and tracebacks."""

from __future__ import annotations

import logging

import pytest

import app.main  # noqa: F401  (creating the app installs the redaction)
from app.redaction import MASK, redact
from tests.helpers import gql

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNpZ25lZA"
SECRETS = {
    f"Authorization: Bearer {JWT}": JWT,
    "headers={'authorization': 'Bearer abc.def-ghi'}": "abc.def-ghi",
    'login(email: "kim@example.test", password: "hunter2-pass")': "hunter2-pass",
    "password=hunter2-pass&next=/": "hunter2-pass",
    '{"token": "opaque-session-token"}': "opaque-session-token",
    "stripe key sk_live_51HxYzAbCdEf012345 loaded": "sk_live_51HxYzAbCdEf012345",
    "restricted rk_test_abc123XYZ": "rk_test_abc123XYZ",
    "webhook secret whsec_9f8e7d6c5b4a": "whsec_9f8e7d6c5b4a",
    "client secret pi_3Abc_secret_XyZ123": "pi_3Abc_secret_XyZ123",
    "STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc": "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "postgres://nzero:db-pass-42@127.0.0.1:5432/nzero": "db-pass-42",
    f"a bare token {JWT} in text": JWT,
}


@pytest.mark.pure
@pytest.mark.parametrize("text", list(SECRETS))
def test_redact_removes_the_secret(text: str) -> None:
    cleaned = redact(text)
    assert SECRETS[text] not in cleaned
    assert MASK in cleaned


@pytest.mark.pure
def test_redact_keeps_ordinary_text() -> None:
    text = 'query { organizations(filter: {text: "bodywork"}) { nodes { name } } } took 12 ms for user 7'
    assert redact(text) == text


@pytest.mark.pure
def test_log_records_are_redacted_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("nzero.test.redaction")
    with caplog.at_level(logging.INFO, logger="nzero.test.redaction"):
        log.info("request headers %s", {"authorization": f"Bearer {JWT}"})
        log.warning("stripe configured with %s", "sk_live_51HxYzAbCdEf012345")
        try:
            raise ValueError("bad password=hunter2-pass for kim")
        except ValueError:
            log.exception("sign-in failed")
    assert JWT not in caplog.text
    assert "sk_live_51HxYzAbCdEf012345" not in caplog.text
    assert "hunter2-pass" not in caplog.text
    assert "sign-in failed" in caplog.text and "ValueError" in caplog.text and MASK in caplog.text


async def test_a_failed_graphql_login_logs_no_password(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        await gql('mutation { login(email: "kim@example.test", password: "inline-secret-77") { token } }')
    assert caplog.records  # the failure was logged somewhere
    assert "inline-secret-77" not in caplog.text


@pytest.mark.pure
def test_access_log_records_keep_their_argument_tuple(caplog: pytest.LogCaptureFixture) -> None:
    """uvicorn's access formatter unpacks `record.args`: redaction must keep it a 5-tuple."""
    log = logging.getLogger("nzero.test.access")
    with caplog.at_level(logging.INFO, logger="nzero.test.access"):
        log.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", "/graphql?token=leaky-token-1", "1.1", 200)
    [record] = [r for r in caplog.records if r.name == "nzero.test.access"]
    assert isinstance(record.args, tuple) and len(record.args) == 5 and record.args[4] == 200
    assert "leaky-token-1" not in record.getMessage()
