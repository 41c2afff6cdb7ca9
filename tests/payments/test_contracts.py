"""Contracts: drawn up from the quote, signed by each party for itself, the text's hash guards the terms."""

from __future__ import annotations

import pytest

from app.errors import DomainError, ErrorCode
from app.services import contract_document
from app.services.contracts import create_contract, set_status, sign_contract
from models import JobOffer, WorkContract
from models.enums import ContractStatus, ContractType, JobOfferStatus, PartyType
from tests.factories import make_user, make_world


async def test_contract_is_drawn_up_from_the_quote() -> None:
    world = await make_world()
    contract = await create_contract(booking=world.booking)
    assert contract.contract_status == ContractStatus.PENDING_SIGNATURES
    assert contract.contract_type == ContractType.FIXED_PRICE
    assert (contract.facility_payment_cents, contract.labor_amount_cents, contract.platform_fee_cents) == (
        40_000,
        140_000,
        20_000,
    )
    assert [(m["name"], m["percentage_bps"], m["amount_cents"]) for m in contract.milestones] == [
        ("deposit", 3000, 60_000),
        ("midpoint", 4000, 80_000),
        ("final", 3000, 60_000),
    ]
    assert contract.start_date is not None and contract.start_date.isoformat() == "2026-12-07"
    assert len(contract.document_hash) == 64 and await contract_document.verify_document(contract)


async def test_milestones_add_up_for_an_awkward_total() -> None:
    world = await make_world(total_cents=100_001)
    contract = await create_contract(booking=world.booking)
    assert sum(m["amount_cents"] for m in contract.milestones) == 100_001


async def test_three_signatures_make_it_active() -> None:
    world = await make_world(labor_count=1)
    contract = await create_contract(booking=world.booking)
    contract = await sign_contract(viewer=await world.viewer(world.customer), contract_id=contract.id)
    contract = await sign_contract(viewer=await world.viewer(world.owner), contract_id=contract.id)
    assert contract.contract_status == ContractStatus.PENDING_SIGNATURES
    contract = await sign_contract(viewer=await world.viewer(world.labor[0]), contract_id=contract.id)
    assert contract.contract_status == ContractStatus.ACTIVE
    assert [s["party"] for s in contract.signatures] == ["customer", "facility", "labor"]
    assert {s["document_hash"] for s in contract.signatures} == {contract.document_hash}
    assert all(s["signed_at"] for s in contract.signatures)
    assert [s["user_id"] for s in contract.signatures] == [world.customer.id, world.owner.id, world.labor[0].id]
    with pytest.raises(DomainError) as err:  # signing an active contract is not a move it allows
        await sign_contract(viewer=await world.viewer(world.customer), contract_id=contract.id)
    assert err.value.code == ErrorCode.INVALID_TRANSITION


async def test_a_party_cannot_sign_for_another() -> None:
    world = await make_world(labor_count=1)
    contract = await create_contract(booking=world.booking)
    customer = await world.viewer(world.customer)
    with pytest.raises(DomainError) as err:
        await sign_contract(viewer=customer, contract_id=contract.id, party=PartyType.FACILITY)
    assert err.value.code == ErrorCode.FORBIDDEN
    stranger = await make_user("Sam Stranger")
    with pytest.raises(DomainError) as err:
        await sign_contract(viewer=await world.viewer(stranger), contract_id=contract.id)
    assert err.value.code == ErrorCode.NOT_FOUND  # a stranger cannot see it: as if it did not exist
    await sign_contract(viewer=customer, contract_id=contract.id)
    with pytest.raises(DomainError) as err:
        await sign_contract(viewer=customer, contract_id=contract.id)
    assert err.value.code == ErrorCode.CONFLICT
    stored = await WorkContract.get(id=contract.id)
    assert [s["party"] for s in stored.signatures] == ["customer"]


async def test_labor_parties_are_the_accepted_offers_at_signing_time() -> None:
    world = await make_world(labor_count=1, accept_offers=False)
    contract = await create_contract(booking=world.booking)
    for user in (world.customer, world.owner):
        await sign_contract(viewer=await world.viewer(user), contract_id=contract.id)
    with pytest.raises(DomainError):  # a pending offer does not make a party
        await sign_contract(viewer=await world.viewer(world.labor[0]), contract_id=contract.id)
    # The cascade hands the role to someone else, who accepts and signs.
    await JobOffer.filter(id=world.offers[0].id).update(status=JobOfferStatus.DECLINED)
    replacement = await make_user("Rae Replacement", stripe_account_id="acct_rae")
    await JobOffer.create(
        booking=world.booking,
        user=replacement,
        role=world.offers[0].role,
        rank=2,
        hours=world.offers[0].hours,
        amount_cents=world.offers[0].amount_cents,
        status=JobOfferStatus.ACCEPTED,
        expires_at=world.offers[0].expires_at,
    )
    contract = await sign_contract(viewer=await world.viewer(replacement), contract_id=contract.id)
    assert contract.contract_status == ContractStatus.ACTIVE


async def test_the_hash_detects_a_changed_text() -> None:
    world = await make_world(labor_count=1)
    contract = await create_contract(booking=world.booking)
    await sign_contract(viewer=await world.viewer(world.customer), contract_id=contract.id)
    await WorkContract.filter(id=contract.id).update(scope_of_work="Paint it pink, for free.")
    changed = await WorkContract.get(id=contract.id)
    assert not await contract_document.verify_document(changed)
    with pytest.raises(DomainError) as err:  # nobody else can sign the altered text
        await sign_contract(viewer=await world.viewer(world.owner), contract_id=contract.id)
    assert err.value.code == ErrorCode.CONFLICT


async def test_documents_render_as_html_and_pdf() -> None:
    world = await make_world(labor_count=1)
    contract = await create_contract(booking=world.booking)
    await sign_contract(viewer=await world.viewer(world.customer), contract_id=contract.id)
    contract = await WorkContract.get(id=contract.id)
    customer = await world.viewer(world.customer)
    html = await contract_document.render_html(contract, customer)
    assert contract.document_hash in html and "Casey Customer" in html and "$2,000.00" in html
    pdf = await contract_document.render_pdf(contract, customer)
    assert pdf.startswith(b"%PDF-")


async def test_contract_state_machine_refuses_other_moves() -> None:
    world = await make_world(labor_count=1)
    contract = await create_contract(booking=world.booking)
    with pytest.raises(DomainError) as err:
        await set_status(contract_id=contract.id, to=ContractStatus.COMPLETED)
    assert err.value.code == ErrorCode.INVALID_TRANSITION
    terminated = await set_status(contract_id=contract.id, to=ContractStatus.TERMINATED)
    assert terminated.contract_status == ContractStatus.TERMINATED
    with pytest.raises(DomainError):
        await set_status(contract_id=contract.id, to=ContractStatus.ACTIVE)


async def test_the_document_route_serves_parties_only() -> None:
    import httpx
    from starlette.applications import Starlette
    from starlette.routing import Route

    from app.contract_routes import contract_document
    from app.security import issue_token

    world = await make_world(labor_count=1)
    contract = await create_contract(booking=world.booking)
    app = Starlette(routes=[Route("/contracts/{contract_id}/document", contract_document)])
    stranger = await make_user("Sam Stranger")

    def bearer(user_id: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(user_id, 0)[0]}"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        url = f"/contracts/{contract.id}/document"
        assert (await client.get(url)).status_code == 401
        denied = await client.get(url, headers=bearer(stranger.id))
        assert denied.status_code == 404
        pdf = await client.get(url + "?format=pdf", headers=bearer(world.customer.id))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert pdf.headers["x-document-hash"] == contract.document_hash
