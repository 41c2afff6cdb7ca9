"""event_outbox: events written in the transaction of their change, published by the relay after it commits."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class EventOutbox(Model):
    id = fields.BigIntField(primary_key=True)  # the publishing order
    channel = fields.CharField(max_length=200)
    payload = fields.TextField()  # the JSON message as subscribers receive it (with its eventId)
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)  # NULL: pending

    class Meta:
        table = "event_outbox"
        indexes = (("published_at", "id"),)  # pending rows in order (IS NULL), and pruning of old published ones
