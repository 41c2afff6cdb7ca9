// One booking from the facility's side: customer, vehicle, notes, the people and their offers, the contract,
// payments per party and the history, with the moves the server allows the facility now.
import { useLive, useQuery } from "../api/hooks";
import { BOOKING, BOOKING_CHANGED } from "../api/operations";
import { BookingActions, ContractPanel, HistoryPanel, PaymentsPanel, PeoplePanel, ReviewsPanel } from "../components/BookingParts";
import { ErrorNotice, LiveIndicator, Loading, Panel, StatusBadge, TimeZoneNote } from "../components/ui";
import { dateTime, enumLabel, money, vehicleName } from "../lib/format";

export function FacilityBooking(props: { organizationId: number; bookingId: number; userId: number }) {
  const q = useQuery(BOOKING, { id: props.bookingId });
  const live = useLive(BOOKING_CHANGED, { bookingId: props.bookingId }, () => void q.refetch());
  const b = q.data?.serviceBooking;
  if (q.error && !b) return <ErrorNotice error={q.error} what="Booking" onRetry={q.refetch} />;
  if (!b) return <Loading rows={6} label="Loading the booking…" />;
  const tz = b.organization?.timezone ?? "UTC";
  return (
    <div class="view" data-testid="facility-booking" data-booking-id={b.id} data-status={b.status}>
      <div class="view-head">
        <div>
          <p class="eyebrow">
            <a class="link" href={`#/facility/${props.organizationId}`}>
              ← {b.organization?.name ?? "Facility"}
            </a>
          </p>
          <h1>
            #{b.id} {b.service?.serviceName ?? enumLabel(b.serviceType)}
          </h1>
          <p class="view-sub">
            <StatusBadge status={b.status} /> · {money(b.totalQuotedPriceCents)} · <TimeZoneNote timeZone={tz} />
          </p>
        </div>
        <LiveIndicator error={live} />
      </div>
      <BookingActions booking={b} party="facility" refetch={q.refetch} />
      {b.cancellationReason && (
        <p class="notice notice-muted" data-testid="closed-note">
          Cancelled: {b.cancellationReason}
        </p>
      )}
      <div class="grid-2">
        <Panel id="job" title="The job">
          <dl class="facts">
            <div>
              <dt>Customer</dt>
              <dd data-testid="booking-customer">{b.customer?.fullName ?? "—"}</dd>
            </div>
            <div>
              <dt>Vehicle</dt>
              <dd>
                {vehicleName(b.vehicle)}
                {b.vehicle?.color ? `, ${b.vehicle.color}` : ""}
                {b.vehicle?.vin ? ` · VIN ${b.vehicle.vin}` : ""}
              </dd>
            </div>
            <div>
              <dt>Scheduled</dt>
              <dd>
                {dateTime(b.scheduledStart, tz)} → {dateTime(b.scheduledEnd, tz)}
              </dd>
            </div>
            <div>
              <dt>Requested from</dt>
              <dd>{b.requestedStartDate}{b.requestedCompletionDate ? `, done by ${b.requestedCompletionDate}` : ""}</dd>
            </div>
          </dl>
          <h3 class="terms-head">Customer's notes</h3>
          <p class="terms" data-testid="booking-notes">
            {b.customerNotes || "No notes."}
          </p>
          {b.vehicle?.notes && <p class="terms">Vehicle: {b.vehicle.notes}</p>}
        </Panel>
        <PeoplePanel booking={b} party="facility" userId={props.userId} />
      </div>
      <ContractPanel booking={b} timeZone={tz} userId={props.userId} />
      <PaymentsPanel booking={b} timeZone={tz} title="Payments per party" />
      <ReviewsPanel booking={b} party="facility" userId={props.userId} refetch={q.refetch} />
      <HistoryPanel booking={b} timeZone={tz} />
    </div>
  );
}
