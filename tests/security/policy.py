"""Who may see each GraphQL type and each sensitive field (docs/architecture.md, Access), as a table the matrix
test enforces.

Every type reachable from Query must be listed here with every one of its fields, or the matrix test fails
with "uncovered: Type.field": a field added later must be classified (public within its object, or sensitive
with its own rule). Types that do not exist yet are simply skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.market import Market, Role

Obj = dict[str, Any]
Ancestors = list[tuple[str, Obj]]
Rule = Callable[[Market, Role, Obj, Ancestors], bool]


@dataclass(frozen=True)
class Policy:
    visible: Rule
    fields: str  # readable by whoever may see the object
    sensitive: dict[str, Rule] = field(default_factory=dict)  # null / empty unless the rule allows


def nearest(ancestors: Ancestors, typename: str) -> Obj | None:
    return next((obj for name, obj in reversed(ancestors) if name == typename), None)


def public(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return True


# Embedded values (no id of their own) are checked through the object that holds them.
inherit = public


def self_or_admin(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return r.is_admin or o.get("id") == r.user_id


def member_of_self(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return r.is_admin or o.get("id") in r.org_ids


def member_of_organization_id(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    org = o.get("organizationId")
    return r.is_admin or (org is not None and org in r.org_ids)


def booking(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return m.sees_booking(r, o["id"])


def job_offer(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    user, booking_id = m.offers[o["id"]]
    return r.is_admin or user == r.user_id or m.bookings[booking_id][1] in r.org_ids


def capacity_block(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    org, booking_id, user = m.blocks[o["id"]]
    customer = m.bookings[booking_id][0] if booking_id else None
    party = customer is not None and customer == r.user_id
    return r.is_admin or org in r.org_ids or party or (user is not None and user == r.user_id)


def contract(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return m.sees_booking(r, m.contracts[o["id"]])


def transfer(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    contract_id, recipient = m.distributions[o["id"]]
    return m.booking_party(r, m.contracts[contract_id]) or (recipient is not None and recipient == r.user_id)


def payment(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return m.sees_booking(r, m.contracts[m.payments[o["id"]]])


def own_payment_line(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    """A payment event's lines: all for the booking's parties, a laborer's own for the laborer."""
    record = nearest(a, "PaymentDistribution")
    party = record is not None and m.booking_party(r, m.contracts[m.payments[record["id"]]])
    return party or (o.get("recipientType") == "LABOR" and o.get("recipientId") == r.user_id)


def own_labor_payment(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    contract_obj = nearest(a, "WorkContract")
    party = contract_obj is not None and m.booking_party(r, m.contracts[contract_obj["id"]])
    return party or o.get("userId") == r.user_id


def member(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    org, user = m.members[o["id"]]
    return r.is_admin or org in r.org_ids or user == r.user_id


def vehicle(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    if r.is_admin or m.vehicles[o["id"]] == r.user_id:
        return True
    return any(v == o["id"] and m.sees_booking(r, b) for b, v in m.booking_vehicle.items())


def of_booking(lookup: str) -> Rule:
    def rule(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
        return m.sees_booking(r, getattr(m, lookup)[o["id"]])

    return rule


def own_pay_line(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    """Everyone's pay for the booking's parties; a laborer sees their own line only."""
    parent = nearest(a, "ServiceBooking")
    return (parent is not None and m.booking_party(r, parent["id"])) or o.get("userId") == r.user_id


def work_notes(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return m.sees_work_notes(r, o["id"])


def viewer(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    user = o.get("user")
    return (user is None and r.user_id is None) or (user is not None and user.get("id") == r.user_id)


def metrics(m: Market, r: Role, o: Obj, a: Ancestors) -> bool:
    return r.is_admin if o.get("organizationId") is None else member_of_organization_id(m, r, o, a)


USER_PRIVATE = "email phone stripeAccountId latitude longitude vehicles memberships bookings jobOffers payouts"

POLICY: dict[str, Policy] = {
    "Query": Policy(public, ""),  # root fields are classified by the types they return
    "Viewer": Policy(viewer, "roles user organizationIds"),
    "AuthPayload": Policy(inherit, "token expiresAt viewer"),
    "User": Policy(
        public,
        "id fullName bio rating ratingCount completedJobs createdAt skills",
        dict.fromkeys(USER_PRIVATE.split(), self_or_admin),
    ),
    "UserSkill": Policy(
        public,
        "id userId skillCategory skillName proficiencyLevel yearsExperience hourlyRateCents certifications"
        " availableHoursPerWeek preferredWorkSchedule minimumJobHours maxTravelDistanceMiles hasOwnTools isVerified"
        " verifiedBy verifiedAt portfolioImageUrls sampleWorkUrls isAvailable createdAt updatedAt user",
    ),
    "Certification": Policy(inherit, "name date"),
    # laborPool needs arguments the matrix cannot fill; its access is tested in tests/labor/test_labor_pool.py.
    "LaborPoolMemberConnection": Policy(inherit, "edges pageInfo nodes totalCount"),
    "LaborPoolMemberEdge": Policy(inherit, "cursor node"),
    "LaborPoolMember": Policy(
        inherit, "distanceMiles skill user proficiencyLevel isVerified availableHoursPerWeek withinTravelRange rating"
    ),
    "Vehicle": Policy(vehicle, "id year make model vin color valueCents notes createdAt owner"),
    "Organization": Policy(
        public,
        "id name description address city state postalCode latitude longitude timezone phone email website tags"
        " keywords operatingHours facilityShareBps laborShareBps platformShareBps rating ratingCount completedJobs"
        " isActive createdAt updatedAt services capabilities bookings",
        dict.fromkeys(["stripeAccountId", "members", "capacityBlocks"], member_of_self),
    ),
    "OrganizationMember": Policy(member, "id role createdAt user organization"),
    "OrganizationService": Policy(
        public,
        "id serviceName serviceType description pricingModel basePriceCents hourlyRateCents percentageRateBps"
        " materialsCostCents estimatedHours estimatedDays allowsInterruption isActive createdAt updatedAt priceTiers"
        " requiredCapabilities requiredSkills organization",
    ),
    "PriceTier": Policy(inherit, "upToValueCents priceCents"),
    "RequiredCapability": Policy(inherit, "capabilityType hours units"),
    "RequiredSkill": Policy(inherit, "skillCategory minProficiency hours"),
    "OrganizationCapability": Policy(
        public,
        "id capabilityType name quantity unit hoursPerDay daysPerWeek specifications isOperational"
        " maintenanceStart maintenanceEnd createdAt updatedAt kind organization",
    ),
    "OrganizationConnection": Policy(inherit, "edges pageInfo nodes totalCount"),
    "OrganizationEdge": Policy(inherit, "cursor node"),
    "ServiceBookingConnection": Policy(inherit, "edges pageInfo nodes totalCount"),
    "ServiceBookingEdge": Policy(inherit, "cursor node"),
    "CapacityBlockConnection": Policy(inherit, "edges pageInfo nodes totalCount"),
    "CapacityBlockEdge": Policy(inherit, "cursor node"),
    "JobOfferConnection": Policy(inherit, "edges pageInfo nodes totalCount"),
    "JobOfferEdge": Policy(inherit, "cursor node"),
    "PageInfo": Policy(inherit, "hasNextPage hasPreviousPage startCursor endCursor"),
    "BookingStatusChangeConnection": Policy(inherit, "edges pageInfo nodes totalCount"),
    "BookingStatusChangeEdge": Policy(inherit, "cursor node"),
    "ReviewConnection": Policy(inherit, "edges pageInfo nodes totalCount"),
    "ReviewEdge": Policy(inherit, "cursor node"),
    "ServiceBooking": Policy(
        booking,
        "id customerId organizationId vehicleId serviceId serviceType title description status"
        " requestedStartDate requestedCompletionDate flexibleTimeline searchLatitude searchLongitude"
        " searchRadiusMiles customerNotes totalQuotedPriceCents facilityFeeCents laborFeeCents materialsCostCents"
        " platformFeeCents quoteExpiresAt scheduledStart scheduledEnd calculatedStartDate calculatedCompletionDate"
        " actualStartDate actualCompletionDate actualStart actualCompletion coordinationScore capacityUtilization"
        " confidence cancellationReason createdAt updatedAt quoteBreakdown timeline quoteAlternatives"
        " excludedCandidates matchedLabor nextActions organization customer vehicle service contract capacityBlocks"
        " jobOffers statusHistory reviews staffingChanges assignedLaborUsers assignedCapabilities",
        dict.fromkeys(["facilityNotes", "laborNotes"], work_notes),
    ),
    "AssignedLaborUser": Policy(own_pay_line, "userId role hours"),
    "AssignedCapability": Policy(inherit, "capabilityId hours"),
    "QuoteBreakdown": Policy(
        inherit, "totalCents servicePriceCents facilityFeeCents materialsCents laborFeeCents platformFeeCents labor"
    ),
    "LaborLine": Policy(own_pay_line, "userId name role hours amountCents"),
    "MatchedLabor": Policy(
        own_pay_line, "userId name role hours amountCents distanceMiles user rating completedJobs specialization"
    ),
    "StaffingChange": Policy(own_pay_line, "role userId name quotedHours reservedHours reason"),
    "Timeline": Policy(inherit, "start completion confidence"),
    "QuoteAlternative": Policy(inherit, "organizationId organizationName serviceId start end totalCents organization"),
    "ExcludedCandidate": Policy(inherit, "organizationId organizationName reason detail"),
    "CapacityBlock": Policy(
        capacity_block,
        "id resourceType resourceId organizationId date startTime endTime durationHours units isReserved isBlocked"
        " notes createdAt bookingId capability user organization",
    ),
    "JobOffer": Policy(job_offer, "id role rank hours amountCents status expiresAt respondedAt createdAt user booking"),
    "BookingStatusChange": Policy(of_booking("history"), "id fromStatus toStatus reason createdAt changedBy"),
    "Review": Policy(
        of_booking("reviews"), "id subjectType score comment createdAt author subjectUser subjectOrganization"
    ),
    "WorkContract": Policy(
        contract,
        "id bookingId customerId facilityId laborUserIds contractType contractStatus scopeOfWork deliverables"
        " paymentTerms totalContractValueCents facilityPaymentCents laborAmountCents platformFeeCents"
        " facilityShareBps laborShareBps platformShareBps startDate endDate termsAndConditions signedByCustomerAt"
        " signedByFacilityAt signedByLaborAt contractDocumentUrl documentHash createdAt updatedAt milestones"
        " laborPayments signatures booking customer facility paymentDistributions paymentTransfers",
    ),
    "Milestone": Policy(inherit, "name date paymentPct percentageBps amountCents status"),
    "Deliverable": Policy(inherit, "item completionCriteria"),
    "LaborPayment": Policy(own_labor_payment, "userId amountCents user"),
    "LaborSignature": Policy(inherit, "userId signedAt"),
    "Signature": Policy(inherit, "party userId signedAt documentHash"),
    "PaymentDistribution": Policy(
        payment,
        "id contractId bookingId paymentType milestone totalAmountCents stripePaymentIntentId stripeRefundIds"
        " paymentStatus paymentDueDate paymentCompletedAt reconciled reconciledAt note createdAt updatedAt"
        " distributions stripeTransferIds transfers",
    ),
    "DistributionLine": Policy(own_payment_line, "recipientId recipientType amountCents"),
    "TransferIdLine": Policy(own_payment_line, "recipientId recipientType transferId"),
    "PaymentTransfer": Policy(
        transfer,
        "id distributionId milestone recipientType amountCents refundedCents status held stripePaymentIntentId"
        " stripeTransferId transferGroup attempts lastError processedAt createdAt recipientUser recipientOrganization",
    ),
    "Utilization": Policy(member_of_organization_id, "organizationId from to capabilities labor"),
    "CapabilityUtilization": Policy(inherit, "capabilityId capabilityType name kind unit days capability"),
    "DayUtilization": Policy(inherit, "date capacity reserved blocked available utilization"),
    "LaborUtilization": Policy(inherit, "userId name days user"),
    "SuccessMetrics": Policy(
        metrics,
        "organizationId from to bookingConversion capacityUtilization storageUtilization laborUtilization"
        " laborHoursUtilization timelineAccuracy paymentVelocity satisfaction series",
    ),
    "Metric": Policy(inherit, "value numerator denominator"),
    "PaymentVelocity": Policy(inherit, "medianDays totalDays payments"),
    "PartySatisfaction": Policy(inherit, "partyType averageScore"),
    "MetricPoint": Policy(inherit, "periodStart quotes contracts completed onTime paid reviews reviewScoreSum"),
}

# For the types whose rows the market owns: every row a role may see must be reachable (the test is not vacuous).
ID_RULES: dict[str, tuple[str, Rule]] = {
    "ServiceBooking": ("bookings", booking),
    "JobOffer": ("offers", job_offer),
    "CapacityBlock": ("blocks", capacity_block),
    "WorkContract": ("contracts", contract),
    "PaymentDistribution": ("payments", payment),
    "PaymentTransfer": ("distributions", transfer),
    "OrganizationMember": ("members", member),
    "Vehicle": ("vehicles", vehicle),
}
