// A skilled person's view: job offers arriving live with accept / decline, and the work assigned to them.
import { useState } from "preact/hooks";
import { gql } from "../api/client";
import { useLive, useQuery } from "../api/hooks";
import { JOB_OFFER_EVENTS, MY_OFFERS, RESPOND_TO_OFFER } from "../api/operations";
import type { JobOffer } from "../api/types";
import { Empty, ErrorNotice, InlineError, LiveIndicator, Loading, Panel, StatusBadge, TimeZoneNote } from "../components/ui";
import { dayOf, enumLabel, money, number, relative, timeOf, vehicleName, zoneOf } from "../lib/format";

export function LaborView() {
  const offers = useQuery(MY_OFFERS, {});
  const [arrived, setArrived] = useState<Set<number>>(new Set());
  const live = useLive(JOB_OFFER_EVENTS, {}, (event) => {
    const offer = event.jobOffers.offer;
    if (event.jobOffers.change === "NEW" && offer) setArrived((s) => new Set(s).add(offer.id));
    void offers.refetch();
  });

  const all = offers.data?.viewer.user?.jobOffers.nodes ?? [];
  const pending = all.filter((o) => o.status === "PENDING" && Date.parse(o.expiresAt) > Date.now());
  const assigned = all
    .filter((o) => o.status === "ACCEPTED")
    .sort((a, b) => Date.parse(a.booking?.scheduledStart ?? a.createdAt) - Date.parse(b.booking?.scheduledStart ?? b.createdAt));
  const past = all.filter((o) => !pending.includes(o) && o.status !== "ACCEPTED");
  const earnings = assigned.reduce((sum, o) => sum + o.amountCents, 0);

  return (
    <div class="view" data-testid="labor-view">
      <div class="view-head">
        <div>
          <p class="eyebrow">Jobs</p>
          <h1>{offers.data?.viewer.user ? `Hi, ${offers.data.viewer.user.fullName.split(" ")[0]}` : "Your jobs"}</h1>
          <p class="view-sub">New offers appear here the moment a customer accepts a quote that needs you.</p>
        </div>
        <LiveIndicator error={live} />
      </div>
      {offers.error && <ErrorNotice error={offers.error} what="Job offers" onRetry={offers.refetch} />}
      {!offers.data && !offers.error && <Loading rows={5} />}
      {offers.data && (
        <>
          <div class="stats">
            <div class="stat">
              <span class="stat-label">Open offers</span>
              <span class="stat-value" data-testid="open-offer-count">{pending.length}</span>
              <span class="stat-hint">waiting for your answer</span>
            </div>
            <div class="stat">
              <span class="stat-label">Assigned jobs</span>
              <span class="stat-value">{assigned.length}</span>
              <span class="stat-hint">{number(assigned.reduce((s, o) => s + o.hours, 0))} hours of work</span>
            </div>
            <div class="stat">
              <span class="stat-label">Earnings, assigned</span>
              <span class="stat-value">{money(earnings, true)}</span>
              <span class="stat-hint">paid out per milestone</span>
            </div>
          </div>
          <Panel id="offers" title="Job offers" subtitle="Accept to reserve your time; decline and the next person is asked.">
            {pending.length === 0 ? (
              <Empty title="No open offers right now" icon="inbox">
                Keep this page open: offers arrive live, no need to refresh.
              </Empty>
            ) : (
              <ul class="offer-list" aria-live="polite">
                {pending.map((o) => (
                  <OfferCard key={o.id} offer={o} fresh={arrived.has(o.id)} onDone={offers.refetch} />
                ))}
              </ul>
            )}
          </Panel>
          <Panel id="assigned" title="Assigned work" subtitle="Jobs you accepted, soonest first">
            {assigned.length === 0 ? (
              <Empty title="Nothing assigned yet" icon="wrench">Offers you accept show up here with their dates.</Empty>
            ) : (
              <ul class="job-list" data-testid="assigned-list">
                {assigned.map((o) => (
                  <JobRow key={o.id} offer={o} />
                ))}
              </ul>
            )}
          </Panel>
          {past.length > 0 && (
            <details class="panel panel-details">
              <summary>Earlier offers ({past.length})</summary>
              <ul class="job-list">
                {past.map((o) => (
                  <JobRow key={o.id} offer={o} />
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </div>
  );
}

function OfferCard(props: { offer: JobOffer; fresh: boolean; onDone: () => Promise<void> }) {
  const o = props.offer;
  const b = o.booking;
  const tz = zoneOf(b);
  const [busy, setBusy] = useState<"accept" | "decline" | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function respond(accept: boolean) {
    setBusy(accept ? "accept" : "decline");
    setError(null);
    try {
      await gql(RESPOND_TO_OFFER, { offerId: o.id, accept });
      await props.onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  const title = b?.service?.serviceName ?? enumLabel(b?.serviceType) ?? "Job";
  return (
    <li class={`card offer ${props.fresh ? "is-new" : ""}`} data-testid="job-offer" data-offer-id={o.id}>
      <div class="offer-main">
        <div class="offer-top">
          <span class="tag">{enumLabel(o.role)}</span>
          {props.fresh && <span class="tag tag-new">New</span>}
          <span class="offer-expiry">Answer {relative(o.expiresAt)}</span>
        </div>
        <h3 class="offer-title">{title}</h3>
        <p class="offer-meta">
          {b?.organization ? `${b.organization.name}, ${b.organization.city}` : "Facility"} · {vehicleName(b?.vehicle)}
        </p>
        <p class="offer-meta">
          {b?.scheduledStart ? (
            <>
              {`${dayOf(b.scheduledStart, tz)} ${timeOf(b.scheduledStart, tz)} → ${dayOf(b.scheduledEnd, tz)}`} · <TimeZoneNote timeZone={tz} />
            </>
          ) : (
            "Dates to be confirmed"
          )}
        </p>
      </div>
      <div class="offer-side">
        <p class="offer-pay">{money(o.amountCents, true)}</p>
        <p class="offer-hours">{number(o.hours)} hours</p>
        <div class="offer-actions">
          <button type="button" class="btn btn-primary" disabled={busy !== null} onClick={() => respond(true)} aria-label={`Accept offer: ${title}`}>
            {busy === "accept" ? "Accepting…" : "Accept"}
          </button>
          <button type="button" class="btn btn-ghost" disabled={busy !== null} onClick={() => respond(false)} aria-label={`Decline offer: ${title}`}>
            {busy === "decline" ? "Declining…" : "Decline"}
          </button>
        </div>
      </div>
      <InlineError error={error} />
    </li>
  );
}

function JobRow(props: { offer: JobOffer }) {
  const o = props.offer;
  const b = o.booking;
  const tz = zoneOf(b);
  return (
    <li class="job-row" data-testid="assigned-job" data-offer-id={o.id}>
      <div>
        <p class="job-title">{b?.service?.serviceName ?? enumLabel(b?.serviceType)}</p>
        <p class="job-meta">
          {enumLabel(o.role)} · {number(o.hours)} h · {b?.organization?.name ?? ""} · {vehicleName(b?.vehicle)}
        </p>
      </div>
      <div class="job-when">
        <span>{b?.scheduledStart ? `${dayOf(b.scheduledStart, tz)} → ${dayOf(b.scheduledEnd, tz)}` : "—"}</span>
        {o.status === "ACCEPTED" && b ? <StatusBadge status={b.status} /> : <span class={`badge badge-offer-${o.status.toLowerCase()}`}>{enumLabel(o.status)}</span>}
      </div>
      <span class="job-pay">{money(o.amountCents, true)}</span>
    </li>
  );
}
