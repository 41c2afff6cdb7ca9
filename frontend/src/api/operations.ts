// Every GraphQL operation the dashboard sends, in one place.

export const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt }
}`;

export const VIEWER = `query Viewer {
  viewer {
    roles organizationIds
    user { id fullName email latitude longitude vehicles { id year make model color valueCents } }
  }
}`;

export const ORGANIZATION = `query Organization($id: Int!) {
  organization(id: $id) {
    id name city state timezone
    capabilities { id name capabilityType kind quantity unit hoursPerDay isOperational }
  }
}`;

export const ORGANIZATIONS = `query Organizations {
  organizations(limit: 100) { nodes { id name city state } }
}`;

const DAY = "date capacity reserved blocked available utilization";

export const UTILIZATION = `query Utilization($organizationId: Int!, $from: Date!, $to: Date!) {
  utilization(organizationId: $organizationId, from: $from, to: $to) {
    organizationId from to
    capabilities { capability { id name capabilityType kind quantity unit } days { ${DAY} } }
    labor { user { id fullName } days { ${DAY} } }
  }
}`;

const BOOKING_CARD = `id status serviceType requestedStartDate scheduledStart scheduledEnd quotedPriceCents quoteExpiresAt
  updatedAt nextActions service { serviceName } customer { fullName } vehicle { id year make model }`;

export const ORG_BOOKINGS = `query OrganizationBookings($organizationId: Int!) {
  serviceBookings(organizationId: $organizationId, limit: 100) { totalCount nodes { ${BOOKING_CARD} } }
}`;

export const CAPACITY_BLOCKS = `query CapacityBlocks($id: Int!) {
  organization(id: $id) {
    id timezone
    capacityBlocks {
      id resourceType startTime endTime units hours isReserved isBlocked blockReason bookingId
      capability { id name capabilityType quantity kind }
      user { id fullName }
    }
  }
}`;

export const UPDATE_BOOKING_STATUS = `mutation UpdateBookingStatus($bookingId: Int!, $status: BookingStatus!) {
  updateBookingStatus(bookingId: $bookingId, status: $status) { id status }
}`;

const BOOKING_DETAIL = `${BOOKING_CARD}
  requestedCompletionDate isFlexible confidence coordinationScore capacityUtilization alternatives excluded notes createdAt
  organization { id name city timezone }
  quoteBreakdown {
    totalCents servicePriceCents facilityFeeCents materialsCents laborFeeCents platformFeeCents
    labor { userId name role hours amountCents }
  }
  contract { id status totalAmountCents signatures { party userId signedAt } milestones { name percentageBps amountCents status } }
  statusHistory { id fromStatus toStatus createdAt }`;

export const MY_BOOKINGS = `query MyBookings {
  viewer { user { id bookings { ${BOOKING_CARD} organization { id name city timezone } } } }
}`;

export const BOOKING = `query Booking($id: Int!) { serviceBooking(id: $id) { ${BOOKING_DETAIL} } }`;

export const REQUEST_QUOTE = `mutation RequestQuote($input: QuoteRequestInput!) {
  requestQuote(input: $input) { ${BOOKING_DETAIL} }
}`;

export const ACCEPT_QUOTE = `mutation AcceptQuote($bookingId: Int!) { acceptQuote(bookingId: $bookingId) { ${BOOKING_DETAIL} } }`;

export const SIGN_CONTRACT = `mutation SignContract($contractId: Int!) {
  signContract(contractId: $contractId) { id status signatures { party userId signedAt } }
}`;

export const MY_OFFERS = `query MyJobOffers {
  viewer {
    user {
      id fullName
      jobOffers {
        id role rank hours amountCents status expiresAt respondedAt createdAt
        booking {
          id status serviceType scheduledStart scheduledEnd
          service { serviceName } organization { name city timezone } vehicle { id year make model }
        }
      }
    }
  }
}`;

export const RESPOND_TO_OFFER = `mutation RespondToJobOffer($offerId: Int!, $accept: Boolean!) {
  respondToJobOffer(offerId: $offerId, accept: $accept) { id status respondedAt }
}`;

// Subscriptions: an event says what changed; the view re-reads what it shows.
export const CAPACITY_CHANGED = `subscription CapacityChanged($organizationId: Int!) {
  capacityChanged(organizationId: $organizationId) { eventId organizationId capabilityIds days bookingId reason }
}`;

export const ORG_BOOKING_CHANGED = `subscription OrganizationBookingChanged($organizationId: Int!) {
  bookingStatusChanged(organizationId: $organizationId) { eventId previousStatus status booking { id } }
}`;

export const MY_BOOKING_CHANGED = `subscription MyBookingChanged {
  bookingStatusChanged { eventId previousStatus status booking { id } }
}`;

export const JOB_OFFER_EVENTS = `subscription JobOfferEvents {
  jobOffers { eventId change offer { id status } }
}`;

const METRIC = "value numerator denominator";

export const SUCCESS_METRICS = `query SuccessMetrics($from: Date!, $to: Date!) {
  successMetrics(from: $from, to: $to) {
    from to
    bookingConversion { ${METRIC} }
    capacityUtilization { ${METRIC} }
    storageUtilization { ${METRIC} }
    laborUtilization { ${METRIC} }
    timelineAccuracy { ${METRIC} }
    paymentVelocity { medianDays totalDays payments }
    satisfaction { partyType averageScore { ${METRIC} } }
    series { periodStart quotes contracts completed onTime paid reviews reviewScoreSum }
  }
}`;
