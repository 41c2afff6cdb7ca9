"""The contract as a document: canonical terms text (hashed), HTML and PDF renderings.

The hash covers the *terms* only (parties, scope, money, milestones, dates). Signatures, statuses
and payment progress are shown on the rendering but are not part of the hash, so signing or paying
never changes the text; an edit of any term does, and verify_document notices it.

A rendering shows its reader only what GraphQL shows them (the same Viewer rules): the customer's email to
the customer and admins (User.email), every labor line to the booking's parties and a laborer only their own
(ServiceBooking.quoteBreakdown.labor). The hash printed is always that of the complete terms.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, replace
from string import Template
from typing import Any

from app.services.access import Viewer
from app.services.coordination.plan import breakdown_of
from models import Organization, ServiceBooking, User, WorkContract


@dataclass(frozen=True)
class ContractParties:
    customer_name: str
    customer_email: str
    organization_name: str
    organization_address: str


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def _pct(bps: int) -> str:
    return f"{bps // 100}.{bps % 100:02d}%"


async def load_parties(contract: WorkContract) -> ContractParties:
    customer = await User.get(id=contract.customer_id)
    organization = await Organization.get(id=contract.facility_id)
    return parties_of(contract, customer, organization)


def terms_text(contract: WorkContract, parties: ContractParties, labor_terms: list[dict[str, Any]]) -> str:
    """The canonical text every party signs: deterministic (no clock, no statuses, no signatures)."""
    lines = [
        f"WORK CONTRACT No. {contract.id} for booking No. {contract.booking_id}",
        f"Contract type: {contract.contract_type}",
        "",
        "PARTIES",
        f"Customer: {parties.customer_name}" + (f" <{parties.customer_email}>" if parties.customer_email else ""),
        f"Facility: {parties.organization_name}"
        + (f", {parties.organization_address}" if parties.organization_address else ""),
        "Labor: the persons holding accepted job offers for the booking, for these roles:",
    ]
    for item in labor_terms:
        lines.append(
            f"  - {item.get('role', '')}: {item.get('hours', '0')} hours, {_money(int(item.get('amount_cents', 0)))}"
        )
    lines += [
        "",
        "SCOPE OF WORK",
        contract.scope_of_work,
        "",
        "DELIVERABLES",
        *[_deliverable(d) for d in contract.deliverables],
        "",
        "PRICE AND SPLIT",
        f"Total: {_money(contract.total_contract_value_cents)}",
        f"Facility: {_money(contract.facility_payment_cents)} ({_pct(contract.facility_share_bps)})",
        f"Labor: {_money(contract.labor_amount_cents)} ({_pct(contract.labor_share_bps)})",
        f"Platform fee: {_money(contract.platform_fee_cents)} ({_pct(contract.platform_share_bps)})",
        "",
        "MILESTONES",
        *[
            f"  - {m['name']}: {_pct(int(m['percentage_bps']))} = {_money(int(m['amount_cents']))}"
            + (f", due {m['date']}" if m.get("date") else "")
            for m in contract.milestones
        ],
        "",
        "PAYMENT TERMS",
        contract.payment_terms,
        "",
        "DATES",
        f"Start: {contract.start_date.isoformat() if contract.start_date else 'to be scheduled'}",
        f"End: {contract.end_date.isoformat() if contract.end_date else 'to be scheduled'}",
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _deliverable(item: dict[str, Any] | str) -> str:
    if isinstance(item, str):
        return f"  - {item}"
    criteria = str(item.get("completion_criteria") or "")
    return f"  - {item.get('item', '')}" + (f": {criteria}" if criteria else "")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def labor_terms_for(contract: WorkContract) -> list[dict[str, Any]]:
    return labor_terms_of(await ServiceBooking.get(id=contract.booking_id))


async def render_text(contract: WorkContract) -> str:
    return terms_text(contract, await load_parties(contract), await labor_terms_for(contract))


@dataclass(frozen=True)
class Rendering:
    text: str  # the terms as this reader may see them
    digest: str  # of the complete terms
    redacted: bool


async def render_for(contract: WorkContract, viewer: Viewer) -> Rendering:
    return rendering_for(contract, await load_parties(contract), await labor_terms_for(contract), viewer)


def parties_of(contract: WorkContract, customer: User, organization: Organization) -> ContractParties:
    address = ", ".join(p for p in (organization.address, organization.city, organization.state) if p)
    return ContractParties(customer.full_name, customer.email, organization.name, address)


def labor_terms_of(booking: ServiceBooking) -> list[dict[str, Any]]:
    breakdown = breakdown_of(booking)
    return [
        {
            "user_id": line.user_id,  # not printed: decides who may read the line
            "role": line.role,
            "hours": f"{line.hours:.2f}",
            "amount_cents": line.amount_cents,
        }
        for line in (breakdown.labor if breakdown else ())
    ]


def rendering_for(
    contract: WorkContract, parties: ContractParties, labor: list[dict[str, Any]], viewer: Viewer
) -> Rendering:
    """The terms as this viewer may read them (pure: the caller loads the parties and the booking)."""
    complete = terms_text(contract, parties, labor)
    customer_id, organization_id = contract.customer_id, contract.facility_id
    if not viewer.is_self(customer_id):
        parties = replace(parties, customer_email="")
    if not viewer.is_booking_party(customer_id=customer_id, organization_id=organization_id):
        labor = [item for item in labor if item["user_id"] is not None and int(item["user_id"]) == viewer.user_id]
    shown = terms_text(contract, parties, labor)
    if shown == complete and contract.terms_and_conditions:
        shown = contract.terms_and_conditions  # the stored text every party signed
    return Rendering(text=shown, digest=text_hash(complete), redacted=shown != complete)


REDACTED_NOTE = "Parts of the terms you may not see are left out; the hash is that of the complete terms."


async def current_hash(contract: WorkContract) -> str:
    return text_hash(await render_text(contract))


async def verify_terms(contract: WorkContract) -> bool:
    """The stored terms_and_conditions still hash to the document's hash and read as the contract's terms (a contract
    from before the column existed has none stored: its terms are the rendering)."""
    if not contract.terms_and_conditions:
        return True
    stored = contract.terms_and_conditions
    return text_hash(stored) == contract.document_hash and stored == await render_text(contract)


async def verify_document(contract: WorkContract) -> bool:
    """True when the terms still hash to what was stored at creation and what every party signed."""
    digest = await current_hash(contract)
    if not contract.document_hash or digest != contract.document_hash or not await verify_terms(contract):
        return False
    return all(s.get("document_hash") == digest for s in contract.signatures)


_HTML = Template(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contract $contract_id</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto}pre{white-space:pre-wrap}</style></head>
<body>
<h1>Work contract $contract_id</h1>
<p>Status: $status. Document hash (SHA-256 of the terms): <code>$digest</code></p>$note
<pre>$terms</pre>
<h2>Signatures</h2>
<ul>$signatures</ul>
</body></html>
"""
)


def _signature_lines(contract: WorkContract) -> list[str]:
    return [
        f"{s.get('party')} — {s.get('name', '')} (user {s.get('user_id')}) signed at {s.get('signed_at')}"
        f" over {str(s.get('document_hash', ''))[:16]}…"
        for s in contract.signatures
    ]


async def render_html(contract: WorkContract, viewer: Viewer) -> str:
    rendering = await render_for(contract, viewer)
    items = "".join(f"<li>{html.escape(line)}</li>" for line in _signature_lines(contract)) or "<li>none yet</li>"
    return _HTML.substitute(
        contract_id=contract.id,
        status=html.escape(str(contract.contract_status)),
        digest=rendering.digest,
        note=f"\n<p>{REDACTED_NOTE}</p>" if rendering.redacted else "",
        terms=html.escape(rendering.text),
        signatures=items,
    )


async def render_pdf(contract: WorkContract, viewer: Viewer) -> bytes:
    from fpdf import FPDF  # imported lazily: only the PDF download needs it

    rendering = await render_for(contract, viewer)
    text = rendering.text + (f"\n{REDACTED_NOTE}\n" if rendering.redacted else "")
    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    # The core fonts are Latin-1; characters outside it are replaced rather than failing the download.
    body = text + "\nSIGNATURES\n" + "\n".join(_signature_lines(contract) or ["none yet"])
    body += f"\n\nDocument hash (SHA-256 of the terms): {rendering.digest}\n"
    pdf.multi_cell(0, 5, body.replace("—", "-").replace("…", "...").encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())
