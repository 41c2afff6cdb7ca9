// Bookings grouped by where they are in the lifecycle; each card offers the moves the server allows the viewer.
import { useState } from "preact/hooks";
import { gql } from "../api/client";
import { UPDATE_BOOKING_STATUS } from "../api/operations";
import type { BookingAction, BookingCard, BookingStatus } from "../api/types";
import { BOARD_MOVES, dayOf, money, moveLabel, statusLabel, vehicleName } from "../lib/format";
import { Empty, InlineError, StatusBadge } from "./ui";

const COLUMNS: { title: string; statuses: BookingStatus[]; hint: string }[] = [
  { title: "Quotes", statuses: ["QUOTE_REQUESTED", "CALCULATING", "QUOTE_READY"], hint: "waiting for the customer" },
  { title: "Accepted", statuses: ["QUOTE_ACCEPTED"], hint: "capacity reserved" },
  { title: "Scheduled", statuses: ["SCHEDULED"], hint: "ready to start" },
  { title: "In progress", statuses: ["IN_PROGRESS", "QUALITY_REVIEW"], hint: "on the floor" },
  { title: "Done", statuses: ["COMPLETED", "PAID"], hint: "finished" },
];
const CLOSED: BookingStatus[] = ["CANCELLED", "DISPUTED"];

export function BookingBoard(props: {
  bookings: BookingCard[];
  timeZone: string;
  onChanged: () => void;
}) {
  const closed = props.bookings.filter((b) => CLOSED.includes(b.status));
  if (props.bookings.length === 0) {
    return (
      <Empty title="No bookings yet" icon="board">
        Quotes that customers request for this facility appear here as they come in.
      </Empty>
    );
  }
  return (
    <div>
      <div class="board" data-testid="booking-board">
        {COLUMNS.map((col) => {
          const items = props.bookings.filter((b) => col.statuses.includes(b.status));
          return (
            <section class="board-col" key={col.title} aria-label={`${col.title}: ${items.length}`}>
              <header class="board-col-head">
                <h3>{col.title}</h3>
                <span class="count" aria-hidden="true">
                  {items.length}
                </span>
              </header>
              {items.length === 0 ? (
                <p class="board-empty">Nothing {col.hint}</p>
              ) : (
                <ul class="board-list">
                  {items.map((b) => (
                    <BoardCard key={b.id} booking={b} {...props} />
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      {closed.length > 0 && (
        <details class="board-closed">
          <summary>Cancelled and disputed ({closed.length})</summary>
          <ul class="board-list board-list-inline">
            {closed.map((b) => (
              <BoardCard key={b.id} booking={b} {...props} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function BoardCard(props: { booking: BookingCard; timeZone: string; onChanged: () => void }) {
  const b = props.booking;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Only the moves the server offers this viewer now (ServiceBooking.nextActions).
  const moves = b.nextActions.filter((a) => BOARD_MOVES[a] !== undefined);

  async function advance(action: BookingAction) {
    const status = BOARD_MOVES[action];
    if (!status) return;
    setBusy(true);
    setError(null);
    try {
      await gql(UPDATE_BOOKING_STATUS, { bookingId: b.id, status });
      props.onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const when = b.scheduledStart
    ? `${dayOf(b.scheduledStart, props.timeZone)} → ${dayOf(b.scheduledEnd, props.timeZone)}`
    : `Requested from ${dayOf(`${b.requestedStartDate}T12:00:00Z`, "UTC")}`;
  return (
    <li class="card booking-card" data-testid="booking-card" data-booking-id={b.id} data-status={b.status}>
      <div class="booking-card-top">
        <span class="booking-id">#{b.id}</span>
        <StatusBadge status={b.status} />
      </div>
      <p class="booking-title">{b.service?.serviceName ?? statusLabel(b.serviceType)}</p>
      <p class="booking-meta">
        {b.customer?.fullName ?? "Customer"} · {vehicleName(b.vehicle)}
      </p>
      <p class="booking-meta">{when}</p>
      <div class="booking-card-foot">
        <span class="booking-price">{money(b.totalQuotedPriceCents, true)}</span>
        {moves.map((action) => (
          <button
            key={action}
            type="button"
            class="btn btn-small"
            onClick={() => advance(action)}
            disabled={busy}
            aria-label={`${moveLabel(action, b.status)} for booking ${b.id}`}
          >
            {busy ? "Saving…" : moveLabel(action, b.status)}
          </button>
        ))}
      </div>
      <InlineError error={error} />
    </li>
  );
}
