"""GET /contracts/{contract_id}/document: the contract as HTML (default) or PDF (?format=pdf), for its parties."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from app.errors import HTTP_STATUS, DomainError, error_response_body
from app.security import bearer_token
from app.services.access import viewer_from_token
from app.services.contract_document import render_html, render_pdf
from app.services.contracts import get_contract
from schema.ids import parse_id


async def contract_document(request: Request) -> Response:
    viewer = await viewer_from_token(bearer_token(request.headers.get("authorization")))
    try:
        contract_id = parse_id(request.path_params["contract_id"], "WorkContract", field="contractId")
        contract = await get_contract(viewer=viewer, contract_id=contract_id)
    except DomainError as error:
        return JSONResponse(error_response_body(error), status_code=HTTP_STATUS.get(error.code, 400))
    headers = {"X-Document-Hash": contract.document_hash, "Cache-Control": "private, no-store"}
    if request.query_params.get("format") == "pdf":
        pdf = await render_pdf(contract, viewer)
        headers["Content-Disposition"] = f'inline; filename="contract-{contract.id}.pdf"'
        return Response(pdf, media_type="application/pdf", headers=headers)
    return HTMLResponse(await render_html(contract, viewer), headers=headers)


ROUTES = [Route("/contracts/{contract_id}/document", contract_document, methods=["GET"])]
