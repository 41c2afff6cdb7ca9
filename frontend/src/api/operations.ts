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
      capabilities {
        ...CapabilityFields
      }
    }
  }
`);

export const CAPABILITY_FIELDS = graphql(`
  fragment CapabilityFields on OrganizationCapability {
    id
    name
    capabilityType
    kind
    quantity
    unit
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
            name
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

export const UPDATE_BOOKING_STATUS = graphql(`
  mutation UpdateBookingStatus($bookingId: Int!, $status: BookingStatus!) {
    updateBookingStatus(bookingId: $bookingId, status: $status) {
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
      totalContractValueCents
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
        createdAt
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
  query SuccessMetrics($from: Date!, $to: Date!) {
    successMetrics(from: $from, to: $to) {
      from
      to
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
