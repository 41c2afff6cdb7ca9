// The operator's view: the six success metrics over a chosen period, marketplace-wide or for one facility,
// re-read live as bookings move; each booking-based number opens the bookings behind it.
import { useState } from "preact/hooks";
import { useLive, useQuery } from "../api/hooks";
import { ORG_BOOKING_CHANGED, ORGANIZATIONS, SUCCESS_METRICS } from "../api/operations";
import type { BookingCard, Metric, SuccessMetricsData } from "../api/types";
import { LineChart } from "../components/LineChart";
import { Empty, ErrorNotice, LiveIndicator, Loading, Panel, StatusBadge, TimeZoneNote } from "../components/ui";
import { addDays, dayOf, enumLabel, money, number, percent, PLATFORM_ZONE, shortDate, todayIn, zoneOf } from "../lib/format";

const WINDOW_DAYS = 90;

type Drill = "quoted" | "completed" | "paid";
const DRILLS: Record<Drill, { title: string; marked: "converted" | "onTime" | null; mark: string }> = {
  quoted: { title: "Quotes in the period (booking conversion)", marked: "converted", mark: "Became a contract" },
  completed: { title: "Jobs completed in the period (timeline accuracy)", marked: "onTime", mark: "On time" },
  paid: { title: "Jobs paid in the period (payment velocity)", marked: null, mark: "" },
};

/** Re-reads the metrics when any booking of one facility moves (one subscription per facility shown). */
function FacilityLive(props: { organizationId: number; onEvent: () => void }) {
  useLive(ORG_BOOKING_CHANGED, { organizationId: props.organizationId }, props.onEvent);
  return null;
}

export function AdminView() {
  const [to, setTo] = useState(todayIn(PLATFORM_ZONE));
  const [from, setFrom] = useState(addDays(todayIn(PLATFORM_ZONE), -WINDOW_DAYS));
  const [facility, setFacility] = useState("");
  const [drill, setDrill] = useState<Drill | null>(null);
  const organizationId = facility ? Number(facility) : null;
  const metrics = useQuery(SUCCESS_METRICS, { from, to, organizationId });
  const orgs = useQuery(ORGANIZATIONS, {});
  const m = metrics.data?.successMetrics;
  const watched = organizationId ? [organizationId] : (orgs.data?.organizations.nodes.map((o) => o.id) ?? []);
  const refetch = () => void metrics.refetch();

  return (
    <div class="view" data-testid="admin-view">
      <div class="view-head">
        <div>
          <p class="eyebrow">Operations</p>
          <h1>Marketplace health</h1>
          <p class="view-sub">
            The six numbers that run the business, with what each is computed from · {shortDate(from)} – {shortDate(to)} ·{" "}
            <TimeZoneNote timeZone={PLATFORM_ZONE} what="dates" />
          </p>
        </div>
        <LiveIndicator />
      </div>
      {watched.map((id) => (
        <FacilityLive key={id} organizationId={id} onEvent={refetch} />
      ))}
      <form class="plan-controls" aria-label="Period and facility" onSubmit={(e) => e.preventDefault()}>
        <label class="field">
          <span>From</span>
          <input type="date" name="metricsFrom" value={from} max={to} onInput={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>To</span>
          <input type="date" name="metricsTo" value={to} min={from} onInput={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Facility</span>
          <select name="metricsFacility" value={facility} onChange={(e) => setFacility(e.currentTarget.value)}>
            <option value="">Every facility</option>
            {(orgs.data?.organizations.nodes ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      {metrics.error ? (
        <div data-testid="metrics-unavailable">
          <ErrorNotice error={metrics.error} what="Success metrics" onRetry={metrics.refetch} />
        </div>
      ) : !m ? (
        <Loading rows={4} />
      ) : (
        <>
          <ul class="metrics" data-testid="metrics">
            <Ratio id="conversion" label="Booking conversion" metric={m.bookingConversion} of="quotes became contracts" onOpen={() => setDrill("quoted")} open={drill === "quoted"} />
            <Ratio id="capacity" label="Capacity utilization" metric={m.capacityUtilization} of="equipment hours reserved" />
            <Ratio id="storage" label="Storage utilization" metric={m.storageUtilization} of="unit-days reserved" />
            <Ratio id="labor" label="Labor utilization" metric={m.laborUtilization} of="skilled people matched with a job" />
            <Ratio id="labor-hours" label="Labor hours" metric={m.laborHoursUtilization} of="labor hours assigned" />
            <Ratio id="timeline" label="Timeline accuracy" metric={m.timelineAccuracy} of="jobs done by the quoted date" onOpen={() => setDrill("completed")} open={drill === "completed"} />
            <li class="metric" data-testid="metric" data-key="velocity">
              <span class="stat-label">Payment velocity</span>
              <span class="stat-value">{m.paymentVelocity.medianDays == null ? "—" : `${number(m.paymentVelocity.medianDays)} days`}</span>
              <span class="stat-hint">
                median from completion to everyone paid · {m.paymentVelocity.payments} job{m.paymentVelocity.payments === 1 ? "" : "s"}
              </span>
              <DrillButton count={m.paymentVelocity.payments} open={drill === "paid"} onOpen={() => setDrill("paid")} />
            </li>
            <li class="metric metric-wide" data-testid="metric" data-key="satisfaction">
              <span class="stat-label">Satisfaction</span>
              {m.satisfaction.length === 0 ? (
                <span class="stat-hint">No reviews yet</span>
              ) : (
                <dl class="satisfaction">
                  {m.satisfaction.map((s) => (
                    <div key={s.partyType}>
                      <dt>{enumLabel(s.partyType)}</dt>
                      <dd>
                        <span class="stat-value-sm">{s.averageScore.value == null ? "—" : `${number(s.averageScore.value)} / 5`}</span>
                        <span class="stat-hint">{s.averageScore.denominator} review{s.averageScore.denominator === 1 ? "" : "s"}</span>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </li>
          </ul>
          {drill && <DrillDown drill={drill} data={m} onClose={() => setDrill(null)} />}
          <Panel id="trend" title="Funnel over time" subtitle="Quotes, contracts, completed and paid jobs per period">
            {m.series.length === 0 ? (
              <Empty title="No activity in this period" icon="chart">
                The funnel fills in as customers request quotes.
              </Empty>
            ) : (
              <Trend series={m.series} />
            )}
          </Panel>
        </>
      )}
      <Panel id="facilities" title="Facilities" subtitle="Open any facility's live dashboard">
        {orgs.error ? (
          <ErrorNotice error={orgs.error} what="Facilities" onRetry={orgs.refetch} />
        ) : !orgs.data ? (
          <Loading rows={3} />
        ) : (
          <ul class="org-list">
            {orgs.data.organizations.nodes.map((o) => (
              <li key={o.id}>
                <a class="org-link" href={`#/facility/${o.id}`}>
                  <span class="org-name">{o.name}</span>
                  <span class="org-city">{[o.city, o.state].filter(Boolean).join(", ")}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}

function DrillButton(props: { count: number; open: boolean; onOpen: () => void }) {
  if (props.count <= 0) return null;
  return (
    <button type="button" class="btn btn-small metric-drill" aria-expanded={props.open} onClick={props.onOpen} data-testid="metric-drill">
      See the {props.count} booking{props.count === 1 ? "" : "s"}
    </button>
  );
}

function DrillDown(props: { drill: Drill; data: SuccessMetricsData["successMetrics"]; onClose: () => void }) {
  const spec = DRILLS[props.drill];
  const rows: BookingCard[] = props.data.bookings[props.drill];
  const marked = new Set(spec.marked ? props.data.bookings[spec.marked].map((b) => b.id) : []);
  return (
    <Panel
      id="drill"
      title={spec.title}
      subtitle={`${rows.length} booking${rows.length === 1 ? "" : "s"}, newest first (up to 50)`}
      actions={
        <button type="button" class="btn btn-small btn-ghost" onClick={props.onClose}>
          Close
        </button>
      }
    >
      <ul class="booking-list" data-testid="drill-list">
        {rows.map((b) => (
          <li key={b.id}>
            <a class="booking-link" href={b.organization ? `#/facility/${b.organization.id}/booking/${b.id}` : "#/metrics"} data-testid="drill-booking" data-booking-id={b.id}>
              <span class="booking-link-main">
                <span class="booking-title">
                  #{b.id} {b.service?.serviceName ?? enumLabel(b.serviceType)}
                </span>
                <span class="booking-meta">
                  {b.organization?.name ?? "—"} · {b.customer?.fullName ?? ""} · {b.scheduledStart ? dayOf(b.scheduledStart, zoneOf(b)) : b.requestedStartDate}
                </span>
              </span>
              <span class="booking-link-side">
                {spec.marked && marked.has(b.id) && <span class="tag tag-ok">{spec.mark}</span>}
                <StatusBadge status={b.status} />
                <span class="booking-price">{money(b.totalQuotedPriceCents, true)}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function Ratio(props: { id: string; label: string; metric: Metric; of: string; onOpen?: () => void; open?: boolean }) {
  const m = props.metric;
  return (
    <li class="metric" data-testid="metric" data-key={props.id} data-numerator={m.numerator} data-denominator={m.denominator}>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{percent(m.value, 1)}</span>
      <span class="meter meter-wide" aria-hidden="true">
        <span style={{ width: `${Math.min(1, m.value ?? 0) * 100}%` }} />
      </span>
      <span class="stat-hint">
        {number(m.numerator)} of {number(m.denominator)} {props.of}
      </span>
      {props.onOpen && <DrillButton count={m.denominator} open={!!props.open} onOpen={props.onOpen} />}
    </li>
  );
}

function Trend(props: { series: SuccessMetricsData["successMetrics"]["series"] }) {
  const s = props.series;
  const last = s[s.length - 1];
  return (
    <LineChart
      labels={s.map((p) => shortDate(p.periodStart, false))}
      series={[
        { name: "Quotes", color: "#2563eb", values: s.map((p) => p.quotes) },
        { name: "Contracts", color: "#0f766e", values: s.map((p) => p.contracts) },
        { name: "Completed", color: "#b45309", values: s.map((p) => p.completed) },
        { name: "Paid", color: "#7c3aed", values: s.map((p) => p.paid) },
      ]}
      label={`Funnel per period; latest period: ${last.quotes} quotes, ${last.contracts} contracts, ${last.completed} completed, ${last.paid} paid`}
    />
  );
}
