"""Which facilities a quote may consider: one whose stored data the search can evaluate, with someone who
can sign its contract; and the fence that keeps one facility's failure out of everyone else's quote."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from uuid import UUID

from app.errors import DomainError
from app.services.access import MANAGING_ROLES
from models import Organization, OrganizationMember

log = logging.getLogger("nzero.quotes")

UNEVALUABLE = "invalid_facility_data"
UNEVALUABLE_DETAIL = "facility data cannot be evaluated"
NO_SIGNATORY = "no_signatory"
NO_SIGNATORY_DETAIL = "nobody can sign the contract for the facility (no active owner or manager)"


async def without_signatory(organization_ids: Iterable[UUID]) -> set[UUID]:
    """The organizations with no active owner or manager, who alone sign for the facility: one query."""
    ids = set(organization_ids)
    if not ids:
        return set()
    signing = await OrganizationMember.filter(
        organization_id__in=sorted(ids), role__in=MANAGING_ROLES, user__is_active=True
    ).values_list("organization_id", flat=True)
    return ids - {UUID(str(i)) for i in signing}


class Fence:
    """Around each candidate's evaluation: an unexpected error excludes that facility (logged once, with its
    traceback) instead of failing the whole search. Expected errors (DomainError) pass through."""

    def __init__(self, on_failure: Callable[[Organization], None]) -> None:
        self._on_failure = on_failure

    @contextmanager
    def candidate(self, organization: Organization) -> Iterator[None]:
        try:
            yield
        except DomainError:
            raise
        except Exception:
            log.exception("quote search: facility %s cannot be evaluated; excluded", organization.id)
            self._on_failure(organization)
