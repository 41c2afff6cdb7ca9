// One booking from the customer's side: the quote against its alternatives, the money breakdown,
// accept, sign, and the status as it moves (live).
import { useState } from "preact/hooks";
import { gql, type Document } from "../api/client";
import { useLive, useQuery } from "../api/hooks";
import { ACCEPT_QUOTE, BOOKING, MY_BOOKING_CHANGED, SIGN_CONTRACT } from "../api/operations";
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
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const expired = b.quoteExpiresAt ? Date.parse(b.quoteExpiresAt) < Date.now() : false;
  const contract = b.contract;
  const signed = contract?.signatures.some((s) => s.userId === props.userId) ?? false;

  async function run<T, V>(kind: string, query: Document<T, V>, variables: V) {
    setBusy(kind);
    setError(null);
    try {
      await gql(query, variables);
      await props.refetch();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

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

      <Progress status={b.status} />

      {b.status === "QUOTE_READY" && (
        <div class="callout" data-testid="accept-box">
          <div>
            <p class="callout-price">{money(b.totalQuotedPriceCents)}</p>
            <p class="callout-text">
              {expired ? "This quote has expired." : b.quoteExpiresAt ? `Quote valid until ${dateTime(b.quoteExpiresAt, tz)} (${relative(b.quoteExpiresAt)}).` : ""}{" "}
              Accepting reserves the equipment and the people, and creates the contract.
            </p>
          </div>
          {b.nextActions.includes("ACCEPT_QUOTE") && (
            <button type="button" class="btn btn-primary btn-large" disabled={busy !== null || expired} onClick={() => run("accept", ACCEPT_QUOTE, { bookingId: b.id })}>
              {busy === "accept" ? "Reserving…" : "Accept quote"}
            </button>
          )}
        </div>
      )}
      {contract && (
        <div class="callout callout-quiet" data-testid="contract-box">
          <div>
            <p class="callout-title">
              Contract #{contract.id} · <span data-testid="contract-status">{enumLabel(contract.contractStatus)}</span>
            </p>
            <p class="callout-text">
              {contract.signatures.length === 0
                ? "No one has signed yet."
                : `Signed by ${contract.signatures.map((s) => `${enumLabel(s.party).toLowerCase()} (${dayOf(s.signedAt, tz)})`).join(", ")}.`}{" "}
              It becomes active when the customer, the facility and the labor have all signed.
            </p>
          </div>
          {b.nextActions.includes("SIGN_CONTRACT") && (
            <button type="button" class="btn btn-primary" disabled={busy !== null} onClick={() => run("sign", SIGN_CONTRACT, { contractId: contract.id })}>
              {busy === "sign" ? "Signing…" : "Sign contract"}
            </button>
          )}
          {signed && <span class="tag tag-ok">You signed</span>}
        </div>
      )}
      <InlineError error={error} />

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
      {b.statusHistory.nodes.length > 0 && (
        <Panel title="History">
          <ol class="history">
            {[...b.statusHistory.nodes].reverse().map((h) => (
              <li key={h.id}>
                <StatusBadge status={h.toStatus} /> <span class="history-when">{dateTime(h.createdAt, tz)}</span>
              </li>
            ))}
          </ol>
        </Panel>
      )}
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

function Progress(props: { status: BookingStatus }) {
  if (props.status === "CANCELLED" || props.status === "DISPUTED") {
    return <p class="notice notice-muted">This booking is {enumLabel(props.status).toLowerCase()}.</p>;
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
}

function Compare(props: { booking: BookingDetail; timeZone: string }) {
  const b = props.booking;
  const options: Option[] = [];
  if (b.scheduledStart && b.scheduledEnd) {
    options.push({ key: "best", name: b.organization?.name ?? "Best match", start: b.scheduledStart, end: b.scheduledEnd, cents: b.totalQuotedPriceCents, best: true });
  }
  b.quoteAlternatives.forEach((a, i) =>
    options.push({ key: `alt-${i}`, name: a.organizationName, start: a.start, end: a.end, cents: a.totalCents, best: false }),
  );
  const excluded = b.excludedCandidates;
  if (options.length === 0) return <Empty title="No options to compare" />;
  const lo = Math.min(...options.map((o) => Date.parse(o.start)));
  const hi = Math.max(...options.map((o) => Date.parse(o.end)));
  const spanMs = Math.max(hi - lo, 86_400_000);
  const at = (iso: string) => ((Date.parse(iso) - lo) / spanMs) * 100;
  const bestCents = b.totalQuotedPriceCents ?? 0;

  return (
    <div class="compare" data-testid="compare">
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
    </div>
  );
}
