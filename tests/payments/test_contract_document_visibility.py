"""GET /contracts/{id}/document shows each reader only what GraphQL shows them, and nothing to strangers."""

from __future__ import annotations

import re
import zlib

import httpx

from app.main import app
from app.security import issue_token
from app.services.contract_document import REDACTED_NOTE, _money
from app.services.contracts import create_contract
from models import User
from tests.factories import make_user, make_world


async def _document(contract_id: int, user: User | None, fmt: str = "") -> httpx.Response:
    headers = {"authorization": f"Bearer {issue_token(user.id, user.token_version)[0]}"} if user else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        return await client.get(f"/contracts/{contract_id}/document{fmt}", headers=headers)


async def test_a_laborer_reads_neither_the_customers_email_nor_other_peoples_pay() -> None:
    world = await make_world(labor_count=2)
    contract = await create_contract(booking=world.booking)
    mine, theirs = world.booking.quote_split["labor"]
    response = await _document(contract.id, world.labor[0])
    assert response.status_code == 200
    page = response.text
    assert "Casey Customer" in page and world.customer.email not in page
    assert f"{mine['role']}: 24.00 hours, {_money(mine['amount_cents'])}" in page
    assert theirs["role"] not in page and _money(theirs["amount_cents"]) not in page
    assert REDACTED_NOTE in page and contract.document_hash in page  # the hash of the complete terms


async def test_the_customer_reads_the_complete_terms() -> None:
    world = await make_world(labor_count=2)
    contract = await create_contract(booking=world.booking)
    page = (await _document(contract.id, world.customer)).text
    assert world.customer.email in page and REDACTED_NOTE not in page
    for line in world.booking.quote_split["labor"]:
        assert _money(line["amount_cents"]) in page


async def test_the_facility_reads_every_pay_line_but_not_the_customers_email() -> None:
    world = await make_world(labor_count=2)
    contract = await create_contract(booking=world.booking)
    page = (await _document(contract.id, world.owner)).text
    assert world.customer.email not in page  # User.email: the user themselves and admins only
    for line in world.booking.quote_split["labor"]:
        assert _money(line["amount_cents"]) in page


async def test_the_pdf_is_redacted_the_same_way() -> None:
    world = await make_world(labor_count=2)
    contract = await create_contract(booking=world.booking)
    response = await _document(contract.id, world.labor[1], "?format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S)
    text = b"".join(zlib.decompress(s) for s in streams if s.startswith(b"x"))
    assert b"Casey Customer" in text  # the text is readable here, so the next check means something
    assert world.customer.email.encode() not in text


async def test_strangers_and_unknown_contracts_are_both_not_found() -> None:
    world = await make_world(labor_count=1)
    contract = await create_contract(booking=world.booking)
    stranger = await make_user("Sam Stranger")
    seen = await _document(contract.id, stranger)
    missing = await _document(987_654, stranger)
    assert (seen.status_code, missing.status_code) == (404, 404)
    assert seen.json()["code"] == missing.json()["code"] == "NOT_FOUND"
    assert (await _document(contract.id, None)).status_code in (401, 404)
