"""jobOffers: the signed-in person's offers, never anyone else's; each event re-reads the offer."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime
from uuid import UUID

from tortoise.expressions import Q

import models
from app import channels
from app.broadcast import Resync
from app.services.coordination.staffing import OPEN_OFFERS
from models.enums import JobOfferStatus
from schema.context import Context
from schema.types.base import from_row
from schema.types.booking import JobOffer
from schema.types.events import JobOfferChange, JobOfferEvent
from subscriptions.stream import event_loaders, payloads
from subscriptions.viewer import access_of, fresh_event_scope, subscriber

CHANGE_OF_STATUS = {
    JobOfferStatus.PENDING: JobOfferChange.NEW,
    JobOfferStatus.ACCEPTED: JobOfferChange.ACCEPTED,
    JobOfferStatus.DECLINED: JobOfferChange.DECLINED,
    JobOfferStatus.EXPIRED: JobOfferChange.EXPIRED,
    JobOfferStatus.WITHDRAWN: JobOfferChange.WITHDRAWN,
}


async def job_offer_events(context: Context) -> AsyncGenerator[JobOfferEvent, None]:
    viewer = await subscriber(context)
    user = viewer.require_user()
    # Open offers and their last known status: after a reconnect, the difference is what was missed.
    rows = await models.JobOffer.filter(user_id=user.id, status__in=OPEN_OFFERS).values_list("id", "status")
    known: dict[UUID, JobOfferStatus] = {UUID(str(i)): JobOfferStatus(s) for i, s in rows}
    async with aclosing(payloads(channels.job_offers(user.id), access=access_of(context, viewer))) as stream:
        async for item in stream:
            if isinstance(item, Resync):
                async for event in _missed(context, user.id, known, item.since):
                    yield event
                continue
            payload = item.payload
            if payload is None or payload.get("userId") != str(user.id):
                continue
            fresh_event_scope(context, viewer, event_loaders(item))
            offer = await context.loaders.one(models.JobOffer, UUID(str(payload["offerId"])))
            if offer is None or offer.user_id != user.id:
                continue
            _remember(known, offer)
            yield JobOfferEvent(
                event_id=str(payload.get("eventId") or uuid.uuid4().hex),
                change=JobOfferChange(payload["change"]),
                offer=from_row(JobOffer, offer),
            )


async def _missed(
    context: Context, user_id: UUID, known: dict[UUID, JobOfferStatus], since: datetime
) -> AsyncGenerator[JobOfferEvent, None]:
    fresh_event_scope(context, context.viewer)
    changed = await models.JobOffer.filter(Q(id__in=list(known)) | Q(created_at__gte=since), user_id=user_id).order_by(
        "id"
    )
    for offer in changed:
        status = JobOfferStatus(offer.status)
        if known.get(offer.id) == status:
            continue
        _remember(known, offer)
        yield JobOfferEvent(event_id=uuid.uuid4().hex, change=CHANGE_OF_STATUS[status], offer=from_row(JobOffer, offer))


def _remember(known: dict[UUID, JobOfferStatus], offer: models.JobOffer) -> None:
    status = JobOfferStatus(offer.status)
    if status in OPEN_OFFERS:
        known[offer.id] = status
    else:
        known.pop(offer.id, None)
