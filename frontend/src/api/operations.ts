// Every GraphQL operation the dashboard sends, in one place; their types are generated from schema.graphql
// (codegen.ts) into src/gql, so each document is checked against the schema at build time.
import { graphql } from "../gql";

export const LOGIN = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      expiresAt
    }
  }
`);

export const VIEWER = graphql(`
  query Viewer {
    viewer {
      roles
      organizationIds
      user {
        id
        fullName
        email
        latitude
        longitude
        vehicles {
          id
          year
          make
          model
          color
          valueCents
        }
      }
    }
  }
`);

export const ORGANIZATION = graphql(`
  query Organization($id: Int!) {
    organization(id: $id) {
      id
      name
      city
      state
      timezone
      stripeAccountId
      capabilities {
        ...CapabilityFields
      }
    }
  }
`);

export const CAPABILITY_FIELDS = graphql(`
  fragment CapabilityFields on OrganizationCapability {
    id
    capabilityName
    capabilityType
    kind
    quantity
    unitType
    hoursPerDay
    isOperational
  }
`);

export const ORGANIZATIONS = graphql(`
  query Organizations {
    organizations(first: 100) {
      nodes {
        id
        name
        city
        state
      }
    }
  }
`);

export const DAY_FIELDS = graphql(`
  fragment DayFields on DayUtilization {
    date
    capacity
    reserved
    blocked
    available
    utilization
  }
`);

export const UTILIZATION = graphql(`
  query Utilization($organizationId: Int!, $from: Date!, $to: Date!) {
    utilization(organizationId: $organizationId, from: $from, to: $to) {
      organizationId
      from
      to
      capabilities {
        capability {
          ...CapabilityFields
        }
        days {
          ...DayFields
        }
      }
      labor {
        user {
          id
          fullName
        }
        days {
          ...DayFields
        }
      }
    }
  }
`);

export const BOOKING_CARD = graphql(`
  fragment BookingCardFields on ServiceBooking {
    id
    status
    serviceType
    requestedStartDate
    scheduledStart
    scheduledEnd
    totalQuotedPriceCents
    quoteExpiresAt
    updatedAt
    nextActions
    service {
      serviceName
    }
    customer {
      fullName
    }
    vehicle {
      id
      year
      make
      model
    }
    organization {
      id
      name
      city
      timezone
    }
  }
`);

export const ORG_BOOKINGS = graphql(`
  query OrganizationBookings($organizationId: Int!) {
    serviceBookings(organizationId: $organizationId, first: 100) {
      totalCount
      nodes {
        ...BookingCardFields
      }
    }
  }
`);

export const CAPACITY_BLOCKS = graphql(`
  query CapacityBlocks($id: Int!) {
    organization(id: $id) {
      id
      timezone
      capacityBlocks(first: 100) {
        nodes {
          id
          resourceType
          startTime
          endTime
          units
          durationHours
          isReserved
          isBlocked
          notes
          bookingId
          capability {
            id
            capabilityName
            capabilityType
            quantity
            kind
          }
          user {
            id
            fullName
          }
        }
      }
    }
  }
`);

export const BLOCK_CAPACITY = graphql(`
  mutation BlockCapacity($capabilityId: Int!, $start: DateTime!, $end: DateTime!, $reason: String!, $units: Int) {
    blockCapacity(capabilityId: $capabilityId, start: $start, end: $end, reason: $reason, units: $units) {
      id
      startTime
      endTime
      units
      notes
      capability {
        id
        capabilityName
      }
    }
  }
`);

export const UPDATE_BOOKING_STATUS = graphql(`
  mutation UpdateBookingStatus($bookingId: Int!, $status: BookingStatus!, $reason: String! = "") {
    updateBookingStatus(bookingId: $bookingId, status: $status, reason: $reason) {
      id
      status
    }
  }
`);

export const BOOKING_DETAIL = graphql(`
  fragment BookingDetailFields on ServiceBooking {
    ...BookingCardFields
    requestedCompletionDate
    flexibleTimeline
    confidence
    coordinationScore
    capacityUtilization
    quoteAlternatives {
      organizationId
      organizationName
      serviceId
      start
      end
      totalCents
    }
    excludedCandidates {
      organizationId
      organizationName
      reason
      detail
    }
    customerNotes
    createdAt
    cancellationReason
    actualStart
    actualCompletion
    customer {
      id
      fullName
      rating
    }
    vehicle {
      vin
      color
      notes
    }
    crew {
      role
      user {
        id
        fullName
        rating
      }
    }
    matchedLabor {
      userId
      name
      role
      distanceMiles
    }
    jobOffers(first: 100) {
      nodes {
        id
        role
        rank
        status
        hours
        amountCents
        expiresAt
        respondedAt
        user {
          id
          fullName
        }
      }
    }
    reviews(first: 50) {
      nodes {
        id
        subjectType
        score
        comment
        author {
          id
        }
        subjectUser {
          id
        }
      }
    }
    quoteBreakdown {
      totalCents
      servicePriceCents
      facilityFeeCents
      materialsCents
      laborFeeCents
      platformFeeCents
      labor {
        userId
        name
        role
        hours
        amountCents
      }
    }
    contract {
      id
      contractStatus
      contractType
      scopeOfWork
      deliverables {
        item
        completionCriteria
      }
      paymentTerms
      totalContractValueCents
      facilityPaymentCents
      laborAmountCents
      platformFeeCents
      documentHash
      paymentTransfers {
        id
        milestone
        recipientType
        amountCents
        refundedCents
        status
        processedAt
        recipientUser {
          id
          fullName
        }
        recipientOrganization {
          id
          name
        }
      }
      signatures {
        party
        userId
        signedAt
      }
      milestones {
        name
        percentageBps
        amountCents
        status
      }
    }
    statusHistory(last: 50) {
      nodes {
        id
        fromStatus
        toStatus
        reason
        createdAt
        changedBy {
          id
          fullName
        }
      }
    }
  }
`);

export const MY_BOOKINGS = graphql(`
  query MyBookings {
    viewer {
      user {
        id
        bookings {
          ...BookingCardFields
        }
      }
    }
  }
`);

export const BOOKING = graphql(`
  query Booking($id: Int!) {
    serviceBooking(id: $id) {
      ...BookingDetailFields
    }
  }
`);

export const REQUEST_QUOTE = graphql(`
  mutation RequestQuote($input: QuoteRequestInput!) {
    requestQuote(input: $input) {
      __typename
      ...BookingDetailFields
      ... on Error {
        code
        message
      }
      ... on InvalidInput {
        field
      }
      ... on NoFeasibleOption {
        unofferedServiceType
        excluded {
          organizationName
          reason
        }
      }
    }
  }
`);

export const ACCEPT_QUOTE = graphql(`
  mutation AcceptQuote($bookingId: Int!) {
    acceptQuote(bookingId: $bookingId) {
      __typename
      ...BookingDetailFields
      ... on Error {
        code
        message
      }
    }
  }
`);

export const CANCEL_BOOKING = graphql(`
  mutation CancelBooking($bookingId: Int!, $reason: String!) {
    cancelBooking(bookingId: $bookingId, reason: $reason) {
      id
      status
    }
  }
`);

export const PRICE_CUSTOM_QUOTE = graphql(`
  mutation PriceCustomQuote($bookingId: Int!, $priceCents: Cents!, $materialsCents: Cents!) {
    priceCustomQuote(bookingId: $bookingId, priceCents: $priceCents, materialsCents: $materialsCents) {
      id
      status
    }
  }
`);

export const START_PAYMENT = graphql(`
  mutation StartPayment($bookingId: Int!, $milestone: MilestoneName!) {
    startPayment(bookingId: $bookingId, milestone: $milestone) {
      __typename
      ... on PaymentIntent {
        bookingId
        milestone
        amountCents
        paymentIntentId
        clientSecret
        status
        publishableKey
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const SUBMIT_REVIEW = graphql(`
  mutation SubmitReview($bookingId: Int!, $subjectType: PartyType!, $subjectUserId: Int, $score: Int!, $comment: String!) {
    submitReview(bookingId: $bookingId, subjectType: $subjectType, subjectUserId: $subjectUserId, score: $score, comment: $comment) {
      id
    }
  }
`);

export const ONBOARD_MY_PAYMENTS = graphql(`
  mutation OnboardMyPayments($refreshUrl: String!, $returnUrl: String!) {
    onboardMyPayments(refreshUrl: $refreshUrl, returnUrl: $returnUrl)
  }
`);

export const ONBOARD_ORGANIZATION_PAYMENTS = graphql(`
  mutation OnboardOrganizationPayments($organizationId: Int!, $refreshUrl: String!, $returnUrl: String!) {
    onboardOrganizationPayments(organizationId: $organizationId, refreshUrl: $refreshUrl, returnUrl: $returnUrl)
  }
`);

export const SIGN_CONTRACT = graphql(`
  mutation SignContract($contractId: Int!) {
    signContract(contractId: $contractId) {
      __typename
      ... on WorkContract {
        id
        contractStatus
        signatures {
          party
          userId
          signedAt
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const MY_OFFERS = graphql(`
  query MyJobOffers {
    viewer {
      user {
        id
        fullName
        stripeAccountId
        jobOffers(first: 100) {
          nodes {
            id
            role
            rank
            hours
            amountCents
            status
            expiresAt
            respondedAt
            createdAt
            booking {
              id
              status
              serviceType
              scheduledStart
              scheduledEnd
              customerNotes
              nextActions
              crew {
                role
                user {
                  id
                  fullName
                }
              }
              matchedLabor {
                userId
                distanceMiles
              }
              service {
                serviceName
              }
              organization {
                name
                city
                timezone
              }
              vehicle {
                id
                year
                make
                model
              }
            }
          }
        }
      }
    }
  }
`);

export const RESPOND_TO_OFFER = graphql(`
  mutation RespondToJobOffer($offerId: Int!, $accept: Boolean!) {
    respondToJobOffer(offerId: $offerId, accept: $accept) {
      __typename
      ... on JobOffer {
        id
        status
        respondedAt
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

// Subscriptions: an event says what changed; the view re-reads what it shows.
export const CAPACITY_CHANGED = graphql(`
  subscription CapacityChanged($organizationId: Int!) {
    capacityChanged(organizationId: $organizationId) {
      eventId
      organizationId
      capabilityIds
      days
      bookingId
      reason
    }
  }
`);

export const ORG_BOOKING_CHANGED = graphql(`
  subscription OrganizationBookingChanged($organizationId: Int!) {
    bookingStatusChanged(organizationId: $organizationId) {
      eventId
      previousStatus
      status
      booking {
        id
      }
    }
  }
`);

export const BOOKING_CHANGED = graphql(`
  subscription BookingChanged($bookingId: Int!) {
    bookingStatusChanged(bookingId: $bookingId) {
      eventId
      status
    }
  }
`);

export const MY_BOOKING_CHANGED = graphql(`
  subscription MyBookingChanged {
    bookingStatusChanged {
      eventId
      previousStatus
      status
      booking {
        id
      }
    }
  }
`);

export const JOB_OFFER_EVENTS = graphql(`
  subscription JobOfferEvents {
    jobOffers {
      eventId
      change
      offer {
        id
        status
      }
    }
  }
`);

export const METRIC_FIELDS = graphql(`
  fragment MetricFields on Metric {
    value
    numerator
    denominator
  }
`);

export const SUCCESS_METRICS = graphql(`
  query SuccessMetrics($from: Date!, $to: Date!, $organizationId: Int) {
    successMetrics(from: $from, to: $to, organizationId: $organizationId) {
      from
      to
      bookings {
        quoted {
          ...BookingCardFields
        }
        converted {
          id
        }
        completed {
          ...BookingCardFields
        }
        onTime {
          id
        }
        paid {
          ...BookingCardFields
        }
      }
      bookingConversion {
        ...MetricFields
      }
      capacityUtilization {
        ...MetricFields
      }
      storageUtilization {
        ...MetricFields
      }
      laborUtilization {
        ...MetricFields
      }
      laborHoursUtilization {
        ...MetricFields
      }
      timelineAccuracy {
        ...MetricFields
      }
      paymentVelocity {
        medianDays
        totalDays
        payments
      }
      satisfaction {
        partyType
        averageScore {
          ...MetricFields
        }
      }
      series {
        periodStart
        quotes
        contracts
        completed
        onTime
        paid
        reviews
        reviewScoreSum
      }
    }
  }
`);
