// The operator's view: the six success metrics across the marketplace, and a way into every facility.
import { useQuery } from "../api/hooks";
import { ORGANIZATIONS, SUCCESS_METRICS } from "../api/operations";
import type { Metric, SuccessMetricsData } from "../api/types";
import { LineChart } from "../components/LineChart";
import { Empty, ErrorNotice, Loading, Panel, TimeZoneNote } from "../components/ui";
import { addDays, enumLabel, number, percent, PLATFORM_ZONE, shortDate, todayIn } from "../lib/format";

const WINDOW_DAYS = 90;

export function AdminView() {
  const to = todayIn(PLATFORM_ZONE);
  const from = addDays(to, -WINDOW_DAYS);
  const metrics = useQuery(SUCCESS_METRICS, { from, to });
  const orgs = useQuery(ORGANIZATIONS, {});
  const m = metrics.data?.successMetrics;

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
      </div>
      {metrics.error ? (
        <div data-testid="metrics-unavailable">
          <ErrorNotice error={metrics.error} what="Success metrics" onRetry={metrics.refetch} />
        </div>
      ) : !m ? (
        <Loading rows={4} />
      ) : (
        <>
          <ul class="metrics" data-testid="metrics">
            <Ratio id="conversion" label="Booking conversion" metric={m.bookingConversion} of="quotes became contracts" />
            <Ratio id="capacity" label="Capacity utilization" metric={m.capacityUtilization} of="equipment hours reserved" />
            <Ratio id="storage" label="Storage utilization" metric={m.storageUtilization} of="unit-days reserved" />
            <Ratio id="labor" label="Labor utilization" metric={m.laborUtilization} of="skilled people matched with a job" />
            <Ratio id="labor-hours" label="Labor hours" metric={m.laborHoursUtilization} of="labor hours assigned" />
            <Ratio id="timeline" label="Timeline accuracy" metric={m.timelineAccuracy} of="jobs done by the quoted date" />
            <li class="metric" data-testid="metric" data-key="velocity">
              <span class="stat-label">Payment velocity</span>
              <span class="stat-value">{m.paymentVelocity.medianDays == null ? "—" : `${number(m.paymentVelocity.medianDays)} days`}</span>
              <span class="stat-hint">
                median from completion to everyone paid · {m.paymentVelocity.payments} job{m.paymentVelocity.payments === 1 ? "" : "s"}
              </span>
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

function Ratio(props: { id: string; label: string; metric: Metric; of: string }) {
  const m = props.metric;
  return (
    <li class="metric" data-testid="metric" data-key={props.id}>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{percent(m.value, 1)}</span>
      <span class="meter meter-wide" aria-hidden="true">
        <span style={{ width: `${Math.min(1, m.value ?? 0) * 100}%` }} />
      </span>
      <span class="stat-hint">
        {number(m.numerator)} of {number(m.denominator)} {props.of}
      </span>
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
