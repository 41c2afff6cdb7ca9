// Shapes of the GraphQL answers this dashboard reads (names as in schema.graphql).

export type BookingStatus =
  | "QUOTE_REQUESTED"
  | "CALCULATING"
  | "QUOTE_READY"
  | "QUOTE_ACCEPTED"
  | "SCHEDULED"
  | "IN_PROGRESS"
  | "QUALITY_REVIEW"
  | "COMPLETED"
  | "PAID"
  | "CANCELLED"
  | "DISPUTED";

/** The moves the server says the viewer may make next (ServiceBooking.nextActions). */
export type BookingAction =
  | "ACCEPT_QUOTE"
  | "PRICE_QUOTE"
  | "SIGN_CONTRACT"
  | "START_WORK"
  | "REQUEST_REVIEW"
  | "COMPLETE"
  | "DISPUTE"
  | "PAY"
  | "CANCEL";

export interface Vehicle {
  id: number;
  year: number;
  make: string;
  model: string;
  color?: string;
  valueCents?: number;
}

export interface ViewerData {
  viewer: {
    roles: string[];
    organizationIds: number[];
    user: {
      id: number;
      fullName: string;
      email: string | null;
      latitude: number | null;
      longitude: number | null;
      vehicles: Vehicle[];
    } | null;
  };
}

export interface Capability {
  id: number;
  name: string;
  capabilityType: string;
  kind: "TIME_SHARED" | "SPACE" | "PRESENCE";
  quantity: number;
  unit: string;
  hoursPerDay?: number;
  isOperational?: boolean;
}

export interface OrganizationSummary {
  id: number;
  name: string;
  city: string;
  state: string;
  timezone: string;
  capabilities: Capability[];
}

export interface DayUtilization {
  date: string;
  capacity: number;
  reserved: number;
  blocked: number;
  available: number;
  utilization: number;
}

export interface UtilizationData {
  utilization: {
    organizationId: number;
    from: string;
    to: string;
    capabilities: { capability: Capability | null; days: DayUtilization[] }[];
    labor: { user: { id: number; fullName: string } | null; days: DayUtilization[] }[];
  };
}

export interface BookingCard {
  id: number;
  status: BookingStatus;
  serviceType: string;
  requestedStartDate: string;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  quotedPriceCents: number | null;
  quoteExpiresAt: string | null;
  updatedAt: string;
  nextActions: BookingAction[];
  service: { serviceName: string } | null;
  customer: { fullName: string } | null;
  vehicle: Vehicle | null;
  organization?: { id: number; name: string; city?: string; timezone?: string } | null;
}

export interface CapacityBlock {
  id: number;
  resourceType: "CAPABILITY" | "USER_LABOR";
  startTime: string;
  endTime: string;
  units: number;
  hours: number;
  isReserved: boolean;
  isBlocked: boolean;
  blockReason: string;
  bookingId: number | null;
  capability: { id: number; name: string; capabilityType: string; quantity: number; kind?: string } | null;
  user: { id: number; fullName: string } | null;
}

export interface LaborLine {
  userId: number;
  name: string;
  role: string;
  hours: number;
  amountCents: number;
}

export interface QuoteBreakdown {
  totalCents: number;
  servicePriceCents: number;
  facilityFeeCents: number;
  materialsCents: number;
  laborFeeCents: number;
  platformFeeCents: number;
  labor: LaborLine[];
}

export interface Alternative {
  organization_id: number;
  organization_name: string;
  service_id?: number;
  start: string;
  end: string;
  total_cents: number | null;
  pricing_model?: string;
}

export interface Excluded {
  organization_id: number;
  organization_name?: string;
  name?: string;
  reason: string;
  detail?: string;
}

export interface Signature {
  party: string;
  userId: number;
  signedAt: string;
}

export interface Contract {
  id: number;
  status: string;
  totalAmountCents: number;
  signatures: Signature[];
  milestones: { name: string; percentageBps: number; amountCents: number; status: string }[];
}

export interface BookingDetail extends BookingCard {
  requestedCompletionDate: string | null;
  isFlexible: boolean;
  confidence: number | null;
  coordinationScore: number | null;
  capacityUtilization: number | null;
  alternatives: Alternative[] | null;
  excluded: Excluded[] | null;
  notes: string;
  createdAt: string;
  quoteBreakdown: QuoteBreakdown | null;
  contract: Contract | null;
  statusHistory: { id: number; fromStatus: BookingStatus | null; toStatus: BookingStatus; createdAt: string }[];
}

export interface JobOffer {
  id: number;
  role: string;
  rank: number;
  hours: number;
  amountCents: number;
  status: "PENDING" | "ACCEPTED" | "DECLINED" | "EXPIRED" | "WITHDRAWN";
  expiresAt: string;
  respondedAt: string | null;
  createdAt: string;
  booking: {
    id: number;
    status: BookingStatus;
    serviceType: string;
    scheduledStart: string | null;
    scheduledEnd: string | null;
    service: { serviceName: string } | null;
    organization: { name: string; city: string; timezone: string } | null;
    vehicle: Vehicle | null;
  } | null;
}

export interface Metric {
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface SuccessMetricsData {
  successMetrics: {
    from: string;
    to: string;
    bookingConversion: Metric;
    capacityUtilization: Metric;
    storageUtilization: Metric;
    laborUtilization: Metric;
    timelineAccuracy: Metric;
    paymentVelocity: { medianDays: number | null; totalDays: number; payments: number };
    satisfaction: { partyType: string; averageScore: Metric }[];
    series: {
      periodStart: string;
      quotes: number;
      contracts: number;
      completed: number;
      onTime: number;
      paid: number;
      reviews: number;
      reviewScoreSum: number;
    }[];
  };
}
