// One booking from the customer's side: the quote against its alternatives, the money breakdown,
// accept, sign, and the status as it moves (live).
import { useState } from "preact/hooks";
import { gql, succeeded } from "../api/client";
import { useLive, useQuery } from "../api/hooks";
import { BOOKING, CANCEL_BOOKING, MY_BOOKING_CHANGED, REQUEST_QUOTE } from "../api/operations";
import { BookingActions, ContractPanel, HistoryPanel, PaymentsPanel, PeoplePanel, ReviewsPanel } from "../components/BookingParts";
import { navigate } from "../router";
import type { BookingDetail, BookingStatus } from "../api/types";
import { Empty, ErrorNotice, InlineError, LiveIndicator, Loading, Panel, StatusBadge, TimeZoneNote } from "../components/ui";
import { dateTime, dayOf, enumLabel, localDate, money, number, percent, relative, shortDate, vehicleName, zoneOf } from "../lib/format";

const STEPS: [BookingStatus, string][] = [
  ["QUOTE_READY", "Quoted"],
  ["QUOTE_ACCEPTED", "Accepted"],
  ["SCHEDULED", "Scheduled"],
  ["IN_PROGRESS", "In progress"],
  ["QUALITY_REVIEW", "Review"],
  ["COMPLETED", "Completed"],
  ["PAID", "Paid"],
];

export function QuoteDetail(props: { bookingId: number; userId: number; initial?: BookingDetail | null }) {
  const q = useQuery(BOOKING, { id: props.bookingId });
  const live = useLive(MY_BOOKING_CHANGED, {}, (e) => {
    if (e.bookingStatusChanged.booking?.id === props.bookingId) void q.refetch();
  });
  const b = q.data?.serviceBooking ?? (props.initial?.id === props.bookingId ? props.initial : null);
  if (q.error && !b) return <ErrorNotice error={q.error} what="Booking" onRetry={q.refetch} />;
  if (!b) return <Loading rows={6} label="Loading the quote…" />;
  return <Detail booking={b} userId={props.userId} live={live} refetch={q.refetch} />;
}

function Detail(props: { booking: BookingDetail; userId: number; live: unknown; refetch: () => Promise<void> }) {
  const b = props.booking;
  const expired = b.quoteExpiresAt ? Date.parse(b.quoteExpiresAt) < Date.now() : false;
  const title = b.service?.serviceName ?? enumLabel(b.serviceType);
  const tz = zoneOf(b);
  return (
    <div class="quote" data-testid="quote-detail" data-booking-id={b.id} data-status={b.status}>
      <div class="quote-head">
        <div>
          <p class="eyebrow">Booking #{b.id}</p>
          <h2 class="quote-title">{title}</h2>
          <p class="view-sub">
            {b.organization ? `${b.organization.name}, ${b.organization.city}` : "Facility to be matched"} · {vehicleName(b.vehicle)}
          </p>
        </div>
        <div class="quote-head-side">
          <StatusBadge status={b.status} />
          <LiveIndicator error={props.live} />
        </div>
      </div>

      <Progress status={b.status} reason={b.cancellationReason} />

      {b.status === "QUOTE_READY" && (
        <div class="callout" data-testid="accept-box">
          <div>
            <p class="callout-price">{money(b.totalQuotedPriceCents)}</p>
            <p class="callout-text">
              {expired ? "This quote has expired." : b.quoteExpiresAt ? `Quote valid until ${dateTime(b.quoteExpiresAt, tz)} (${relative(b.quoteExpiresAt)}).` : ""}{" "}
              Accepting reserves the equipment and the people, and creates the contract.
            </p>
          </div>
        </div>
      )}
      {b.status === "QUOTE_REQUESTED" && (
        <p class="notice notice-muted" data-testid="awaiting-price">
          {b.organization?.name ?? "The facility"} prices this job itself; you'll see the quote here as soon as it does.
        </p>
      )}
      <BookingActions booking={b} party="customer" refetch={props.refetch} />

      <div class="grid-2">
        <Panel title="Your quote" subtitle="The best match of facility, people and dates" actions={<TimeZoneNote timeZone={tz} />}>
          <dl class="facts">
            <div>
              <dt>Start</dt>
              <dd>{dateTime(b.scheduledStart, tz)}</dd>
            </div>
            <div>
              <dt>Ready</dt>
              <dd>{dateTime(b.scheduledEnd, tz)}</dd>
            </div>
            <div>
              <dt>On-time confidence</dt>
              <dd>
                <Meter value={b.confidence} /> {percent(b.confidence)}
              </dd>
            </div>
            <div>
              <dt>Match score</dt>
              <dd>
                <Meter value={b.coordinationScore != null ? b.coordinationScore / 100 : null} /> {b.coordinationScore ?? "—"} / 100
              </dd>
            </div>
          </dl>
          <Breakdown booking={b} />
        </Panel>
        <Panel title="Compare options" subtitle="Other facilities that could do it, on a common timeline">
          <Compare booking={b} timeZone={tz} />
        </Panel>
      </div>
      <ContractPanel booking={b} timeZone={tz} userId={props.userId} />
      <PaymentsPanel booking={b} timeZone={tz} />
      {b.crew.length > 0 && <PeoplePanel booking={b} party="customer" userId={props.userId} />}
      <ReviewsPanel booking={b} party="customer" userId={props.userId} refetch={props.refetch} />
      <HistoryPanel booking={b} timeZone={tz} />
    </div>
  );
}

function Meter(props: { value: number | null }) {
  const v = Math.max(0, Math.min(1, props.value ?? 0));
  return (
    <span class="meter" aria-hidden="true">
      <span style={{ width: `${v * 100}%` }} />
    </span>
  );
}

function Progress(props: { status: BookingStatus; reason?: string }) {
  if (props.status === "CANCELLED" || props.status === "DISPUTED") {
    return (
      <p class="notice notice-muted" data-testid="closed-note">
        This booking is {enumLabel(props.status).toLowerCase()}
        {props.reason ? `: ${props.reason}` : "."}
      </p>
    );
  }
  const at = Math.max(0, STEPS.findIndex(([s]) => s === props.status));
  return (
    <ol class="progress" aria-label="Booking progress">
      {STEPS.map(([s, label], i) => (
        <li key={s} class={i < at ? "done" : i === at ? "current" : ""} aria-current={i === at ? "step" : undefined}>
          <span class="progress-dot" aria-hidden="true" />
          <span class="progress-label">{label}</span>
        </li>
      ))}
    </ol>
  );
}

function Breakdown(props: { booking: BookingDetail }) {
  const q = props.booking.quoteBreakdown;
  if (!q) return <Empty title="No price breakdown yet" />;
  const parts = [
    { key: "facility", label: "Facility", cents: q.facilityFeeCents },
    { key: "labor", label: "Labor", cents: q.laborFeeCents },
    { key: "materials", label: "Materials", cents: q.materialsCents },
    { key: "platform", label: "Platform", cents: q.platformFeeCents },
  ].filter((p) => p.cents > 0);
  const total = q.totalCents || 1;
  return (
    <div class="breakdown" data-testid="breakdown">
      <div class="split-bar" aria-hidden="true">
        {parts.map((p) => (
          <span key={p.key} class={`split-${p.key}`} style={{ width: `${(p.cents / total) * 100}%` }} />
        ))}
      </div>
      <table class="money-table">
        <caption class="visually-hidden">Where the money goes</caption>
        <tbody>
          <tr>
            <th scope="row">
              <span class="dot split-facility" aria-hidden="true" /> Facility
            </th>
            <td>{money(q.facilityFeeCents)}</td>
          </tr>
          <tr>
            <th scope="row">
              <span class="dot split-labor" aria-hidden="true" /> Labor
            </th>
            <td>{money(q.laborFeeCents)}</td>
          </tr>
          {q.labor.map((l) => (
            <tr class="sub" key={`${l.userId}-${l.role}`}>
              <th scope="row">
                {l.name} · {enumLabel(l.role).toLowerCase()}, {number(l.hours)} h
              </th>
              <td>{money(l.amountCents)}</td>
            </tr>
          ))}
          {q.materialsCents > 0 && (
            <tr>
              <th scope="row">
                <span class="dot split-materials" aria-hidden="true" /> Materials
              </th>
              <td>{money(q.materialsCents)}</td>
            </tr>
          )}
          <tr>
            <th scope="row">
              <span class="dot split-platform" aria-hidden="true" /> Platform fee
            </th>
            <td>{money(q.platformFeeCents)}</td>
          </tr>
          <tr class="total">
            <th scope="row">Total</th>
            <td data-testid="quote-total">{money(q.totalCents)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

interface Option {
  key: string;
  name: string;
  start: string;
  end: string;
  cents: number | null;
  best: boolean;
  organizationId: number | null;
  serviceId: number | null;
}

/** Why the chosen option beat the others, from the same numbers the list shows. */
export function whyBest(options: Option[], score: number | null, timeZone: string): string {
  const best = options.find((o) => o.best);
  const others = options.filter((o) => !o.best);
  if (!best) return "";
  if (others.length === 0) return "It is the only facility that can take this job in the window you asked for.";
  const reasons: string[] = [];
  const end = Date.parse(best.end);
  const earliestOther = Math.min(...others.map((o) => Date.parse(o.end)));
  if (end <= earliestOther) reasons.push(`it is ready first (${dayOf(best.end, timeZone)})`);
  const prices = others.map((o) => o.cents).filter((c): c is number => c != null);
  if (best.cents != null && prices.length > 0 && best.cents <= Math.min(...prices)) {
    const next = Math.min(...prices);
    reasons.push(next > best.cents ? `it costs ${money(next - best.cents, true)} less than the next option` : "no option costs less");
  }
  if (reasons.length === 0) reasons.push("its people and equipment have the best record of finishing on time");
  return `Best because ${reasons.join(" and ")}; the match score${score != null ? ` (${score}/100)` : ""} weighs the completion date first, then the price, then the quality of the facility and the people.`;
}

function Compare(props: { booking: BookingDetail; timeZone: string }) {
  const b = props.booking;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const options: Option[] = [];
  if (b.scheduledStart && b.scheduledEnd) {
    options.push({ key: "best", name: b.organization?.name ?? "Best match", start: b.scheduledStart, end: b.scheduledEnd, cents: b.totalQuotedPriceCents, best: true, organizationId: b.organization?.id ?? null, serviceId: null });
  }
  b.quoteAlternatives.forEach((a, i) =>
    options.push({ key: `alt-${i}`, name: a.organizationName, start: a.start, end: a.end, cents: a.totalCents, best: false, organizationId: a.organizationId, serviceId: a.serviceId ?? null }),
  );
  const excluded = b.excludedCandidates;
  if (options.length === 0) return <Empty title="No options to compare" />;
  const lo = Math.min(...options.map((o) => Date.parse(o.start)));
  const hi = Math.max(...options.map((o) => Date.parse(o.end)));
  const spanMs = Math.max(hi - lo, 86_400_000);
  const at = (iso: string) => ((Date.parse(iso) - lo) / spanMs) * 100;
  const bestCents = b.totalQuotedPriceCents ?? 0;
  const choosable = b.nextActions.includes("ACCEPT_QUOTE");

  // Choosing another option asks that facility for its own quote with the same request (it is re-checked and
  // priced now), then declines this one; the customer accepts the new quote on its own page.
  async function choose(o: Option) {
    setBusy(o.key);
    setError(null);
    try {
      const fresh = await gql(REQUEST_QUOTE, {
        input: {
          requestedStartDate: b.requestedStartDate,
          requestedCompletionDate: b.requestedCompletionDate,
          flexibleTimeline: b.flexibleTimeline,
          organizationId: o.organizationId,
          serviceId: o.serviceId,
          serviceType: o.serviceId ? null : b.serviceType,
          vehicleId: b.vehicle?.id ?? null,
          customerNotes: b.customerNotes,
        },
      });
      await gql(CANCEL_BOOKING, { bookingId: b.id, reason: `Chose ${o.name} instead` });
      navigate(`#/bookings/${succeeded(fresh.requestQuote, "ServiceBooking").id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="compare" data-testid="compare">
      <p class="why-best" data-testid="why-best">
        {whyBest(options, b.coordinationScore, props.timeZone)}
      </p>
      <div class="compare-axis" aria-hidden="true">
        <span>{shortDate(localDate(new Date(lo).toISOString(), props.timeZone))}</span>
        <span>{shortDate(localDate(new Date(hi).toISOString(), props.timeZone))}</span>
      </div>
      <ul class="compare-list">
        {options.map((o) => (
          <li key={o.key} class={`compare-row ${o.best ? "is-best" : ""}`} data-testid={o.best ? "option-best" : "option-alternative"}>
            <div class="compare-info">
              <span class="compare-name">
                {o.name} {o.best && <span class="tag tag-ok">Best</span>}
              </span>
              <span class="compare-price">
                {money(o.cents, true)}
                {!o.best && o.cents != null && bestCents > 0 && (
                  <span class={`delta ${o.cents > bestCents ? "up" : "down"}`}>
                    {o.cents > bestCents ? "+" : "−"}
                    {money(Math.abs(o.cents - bestCents), true)}
                  </span>
                )}
              </span>
            </div>
            <div class="compare-track">
              <span class="compare-bar" style={{ left: `${at(o.start)}%`, width: `${Math.max(2, at(o.end) - at(o.start))}%` }} />
            </div>
            <span class="compare-dates">
              {dayOf(o.start, props.timeZone)} → {dayOf(o.end, props.timeZone)}
              {!o.best && choosable && o.organizationId != null && (
                <button type="button" class="btn btn-small compare-choose" disabled={busy !== null} onClick={() => choose(o)}>
                  {busy === o.key ? "Asking…" : "Choose this"}
                  <span class="visually-hidden"> option: {o.name}</span>
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      {excluded.length > 0 && (
        <details class="excluded">
          <summary>{excluded.length} facilit{excluded.length === 1 ? "y" : "ies"} couldn't take it</summary>
          <ul>
            {excluded.map((x, i) => (
              <li key={i}>
                <strong>{x.organizationName || `Facility ${x.organizationId}`}</strong>: {x.detail || enumLabel(x.reason).toLowerCase()}
              </li>
            ))}
          </ul>
        </details>
      )}
      <InlineError error={error} />
    </div>
  );
}
