// The customer's side: request a quote, see every booking and its status live, open one to compare and accept.
import { useState } from "preact/hooks";
import { useLive, useQuery } from "../api/hooks";
import { MY_BOOKING_CHANGED, MY_BOOKINGS } from "../api/operations";
import type { BookingDetail, ViewerData } from "../api/types";
import { Empty, ErrorNotice, LiveIndicator, Loading, Panel, StatusBadge } from "../components/ui";
import { navigate } from "../router";
import { dayOf, enumLabel, money, vehicleName, zoneOf } from "../lib/format";
import { QuoteDetail } from "./QuoteDetail";
import { QuoteForm } from "./QuoteForm";

type User = NonNullable<ViewerData["viewer"]["user"]>;

export function CustomerView(props: { user: User; bookingId: number | null }) {
  const list = useQuery(MY_BOOKINGS, {});
  const live = useLive(MY_BOOKING_CHANGED, {}, () => void list.refetch());
  const [fresh, setFresh] = useState<BookingDetail | null>(null);
  const bookings = [...(list.data?.viewer.user?.bookings ?? [])].sort((a, b) => b.id - a.id);

  function quoted(booking: BookingDetail) {
    setFresh(booking);
    void list.refetch();
    navigate(`#/bookings/${booking.id}`);
  }

  return (
    <div class="view" data-testid="customer-view">
      <div class="view-head">
        <div>
          <p class="eyebrow">Your vehicles</p>
          <h1>{props.bookingId ? "Quote and booking" : "Get work done"}</h1>
          <p class="view-sub">
            {props.bookingId ? (
              <a href="#/bookings" class="link">
                ← All bookings and a new quote
              </a>
            ) : (
              `Request a quote for ${props.user.vehicles[0] ? `your ${vehicleName(props.user.vehicles[0])}` : "your vehicle"}; compare, accept and sign in one place.`
            )}
          </p>
        </div>
        {!props.bookingId && <LiveIndicator error={live} />}
      </div>
      {props.bookingId ? (
        <QuoteDetail bookingId={props.bookingId} userId={props.user.id} initial={fresh} />
      ) : (
        <div class="grid-2 grid-form">
          <Panel id="request" title="Request a quote">
            <QuoteForm user={props.user} onQuoted={quoted} />
          </Panel>
          <Panel id="my-bookings" title="Your bookings" subtitle="Status updates arrive live">
            {list.error ? (
              <ErrorNotice error={list.error} what="Bookings" onRetry={list.refetch} />
            ) : !list.data ? (
              <Loading rows={3} />
            ) : bookings.length === 0 ? (
              <Empty title="No bookings yet" icon="car">
                Your quotes and jobs appear here once you request one.
              </Empty>
            ) : (
              <ul class="booking-list" data-testid="my-bookings">
                {bookings.map((b) => (
                  <li key={b.id}>
                    <a class="booking-link" href={`#/bookings/${b.id}`} data-testid="my-booking" data-booking-id={b.id} data-status={b.status}>
                      <span class="booking-link-main">
                        <span class="booking-title">{b.service?.serviceName ?? enumLabel(b.serviceType)}</span>
                        <span class="booking-meta">
                          {b.organization?.name ?? "Matching…"} · {b.scheduledStart ? `${dayOf(b.scheduledStart, zoneOf(b))} (${zoneOf(b)})` : `from ${b.requestedStartDate}`}
                        </span>
                      </span>
                      <span class="booking-link-side">
                        <StatusBadge status={b.status} />
                        <span class="booking-price">{money(b.totalQuotedPriceCents, true)}</span>
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
        </div>
      )}
    </div>
  );
}
