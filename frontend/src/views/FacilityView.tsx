// The facility owner's dashboard: capacity heat map, gauges, today's timeline and the booking board, all live.
import { useMemo, useState } from "preact/hooks";
import { useLive, useQuery } from "../api/hooks";
import {
  CAPACITY_BLOCKS,
  CAPACITY_CHANGED,
  ORG_BOOKING_CHANGED,
  ORG_BOOKINGS,
  ORGANIZATION,
  UTILIZATION,
} from "../api/operations";
import type { DayUtilization, OrganizationSummary, UtilizationData } from "../api/types";
import { BookingBoard } from "../components/BookingBoard";
import { Gauge } from "../components/Gauge";
import { capabilitySublabel, HeatLegend, HeatMap, type HeatRow } from "../components/HeatMap";
import { Timeline } from "../components/Timeline";
import { Empty, ErrorNotice, LiveIndicator, Loading, Panel, Stat, TimeZoneNote } from "../components/ui";
import { dateRange, dayOf, money, number, percent, shortDate, todayIn } from "../lib/format";

const DAYS = 21;

export function FacilityView(props: { organizationId: number }) {
  const org = useQuery(ORGANIZATION, { id: props.organizationId });
  const tz = org.data?.organization.timezone;
  if (org.error) return <ErrorNotice error={org.error} what="Facility" onRetry={org.refetch} />;
  if (!org.data || !tz) return <Loading label="Loading the facility…" rows={6} />;
  return <Dashboard organization={org.data.organization} />;
}

function Dashboard(props: { organization: OrganizationSummary }) {
  const o = props.organization;
  const today = todayIn(o.timezone);
  const dates = useMemo(() => dateRange(today, DAYS), [today]);
  const vars = { organizationId: o.id, from: dates[0], to: dates[dates.length - 1] };
  const util = useQuery(UTILIZATION, vars);
  const bookings = useQuery(ORG_BOOKINGS, {
    organizationId: o.id,
  });
  const blocks = useQuery(CAPACITY_BLOCKS, { id: o.id });
  const [flash, setFlash] = useState<Set<string>>(new Set());

  const capacityLive = useLive(CAPACITY_CHANGED, { organizationId: o.id }, (event) => {
    void util.refetch();
    void blocks.refetch();
    const ids = event.capacityChanged.capabilityIds ?? [];
    const days = event.capacityChanged.days ?? [];
    setFlash(new Set(ids.flatMap((id) => days.map((d) => `cap-${id}:${d}`))));
    setTimeout(() => setFlash(new Set()), 2500);
  });
  const bookingLive = useLive(ORG_BOOKING_CHANGED, { organizationId: o.id }, () => void bookings.refetch());

  const rows: HeatRow[] = useMemo(() => {
    const u = util.data?.utilization;
    if (!u) return [];
    const caps = u.capabilities.map((c) => ({
      key: `cap-${c.capability?.id}`,
      group: "Equipment",
      label: c.capability?.name ?? "Capability",
      sublabel: capabilitySublabel(c.capability, ""),
      capability: c.capability,
      unit: c.capability?.kind === "SPACE" ? (c.capability.unit || "units").replace(/_/g, " ") : "h",
      days: c.days,
    }));
    const labor = u.labor.map((l) => ({
      key: `user-${l.user?.id}`,
      group: "Labor",
      label: l.user?.fullName ?? "Labor",
      sublabel: "labor hours",
      unit: "h",
      days: l.days,
    }));
    return [...caps, ...labor];
  }, [util.data]);

  const nodes = bookings.data?.serviceBookings.nodes ?? [];
  const openQuotes = nodes.filter((b) => b.status === "QUOTE_READY").length;
  const active = nodes.filter((b) => ["QUOTE_ACCEPTED", "SCHEDULED", "IN_PROGRESS", "QUALITY_REVIEW"].includes(b.status));
  const booked = active.reduce((sum, b) => sum + (b.totalQuotedPriceCents ?? 0), 0);
  const week = weekUse(util.data, dates.slice(0, 7));
  const liveError = capacityLive ?? bookingLive;

  return (
    <div class="view" data-testid="facility-view">
      <div class="view-head">
        <div>
          <p class="eyebrow">Facility</p>
          <h1>{o.name}</h1>
          <p class="view-sub">
            {[o.city, o.state].filter(Boolean).join(", ")} · today is {dayOf(new Date().toISOString(), o.timezone)} ·{" "}
            <TimeZoneNote timeZone={o.timezone} what="dates and times" />
          </p>
        </div>
        <LiveIndicator error={liveError} />
      </div>

      <div class="stats">
        <Stat label="Capacity used, next 7 days" value={week ? percent(week.ratio) : "—"} hint={week ? `${number(week.reserved)} of ${number(week.usable)} lift & booth hours` : "time-shared equipment"} testId="stat-week" />
        <Stat label="Open quotes" value={bookings.data ? openQuotes : "—"} hint="waiting for a customer's answer" />
        <Stat label="Active jobs" value={bookings.data ? active.length : "—"} hint="accepted, scheduled or in progress" />
        <Stat label="Booked revenue" value={bookings.data ? money(booked, true) : "—"} hint="of active jobs" />
      </div>

      <Panel
        id="heat"
        title="Capacity, next 3 weeks"
        subtitle={`Share of usable capacity reserved per day, ${shortDate(dates[0])} – ${shortDate(dates[dates.length - 1])}`}
        actions={<HeatLegend />}
      >
        {util.error ? (
          <ErrorNotice error={util.error} what="Utilization" onRetry={util.refetch} />
        ) : !util.data ? (
          <Loading rows={5} />
        ) : rows.length === 0 ? (
          <Empty title="No equipment with capacity yet" icon="grid">
            Lifts, booths and storage appear here once the facility lists them.
          </Empty>
        ) : (
          <HeatMap rows={rows} dates={dates} today={today} highlight={flash} />
        )}
      </Panel>

      <div class="grid-2">
        <Panel id="gauges" title="Utilization by equipment" subtitle="Reserved share of usable capacity, next 7 days">
          {util.error ? (
            <ErrorNotice error={util.error} what="Utilization" />
          ) : !util.data ? (
            <Loading rows={3} />
          ) : (
            <Gauges data={util.data} dates={dates.slice(0, 7)} />
          )}
        </Panel>
        <Panel id="today" title="Today on the floor" subtitle={dayOf(new Date().toISOString(), o.timezone)}>
          {blocks.error ? (
            <ErrorNotice error={blocks.error} what="Today's schedule" onRetry={blocks.refetch} />
          ) : !blocks.data ? (
            <Loading rows={4} />
          ) : (
            <Timeline capabilities={o.capabilities} blocks={blocks.data.organization.capacityBlocks.nodes} day={today} timeZone={o.timezone} />
          )}
        </Panel>
      </div>

      <Panel
        id="bookings"
        title="Bookings"
        subtitle={bookings.data ? `${bookings.data.serviceBookings.totalCount} in total` : undefined}
      >
        {bookings.error ? (
          <ErrorNotice error={bookings.error} what="Bookings" onRetry={bookings.refetch} />
        ) : !bookings.data ? (
          <Loading rows={4} />
        ) : (
          <BookingBoard bookings={nodes} timeZone={o.timezone} onChanged={bookings.refetch} />
        )}
      </Panel>
    </div>
  );
}

function sumUse(days: DayUtilization[], dates: string[]): { reserved: number; usable: number } {
  const wanted = new Set(dates);
  return days
    .filter((d) => wanted.has(d.date))
    .reduce((acc, d) => ({ reserved: acc.reserved + d.reserved, usable: acc.usable + Math.max(0, d.capacity - d.blocked) }), {
      reserved: 0,
      usable: 0,
    });
}

function weekUse(data: UtilizationData | null, dates: string[]) {
  if (!data) return null;
  const timeShared = data.utilization.capabilities.filter((c) => c.capability?.kind !== "SPACE");
  const total = timeShared.map((c) => sumUse(c.days, dates)).reduce((a, b) => ({ reserved: a.reserved + b.reserved, usable: a.usable + b.usable }), { reserved: 0, usable: 0 });
  return { ...total, ratio: total.usable > 0 ? total.reserved / total.usable : 0 };
}

function Gauges(props: { data: UtilizationData; dates: string[] }) {
  const items = props.data.utilization.capabilities.map((c) => {
    const use = sumUse(c.days, props.dates);
    const ratio = use.usable > 0 ? use.reserved / use.usable : 0;
    const space = c.capability?.kind === "SPACE";
    return { id: c.capability?.id ?? 0, name: c.capability?.name ?? "Capability", ratio, use, space, unit: c.capability?.unit ?? "units" };
  });
  if (items.length === 0) return <Empty title="No equipment yet" />;
  return (
    <ul class="gauges">
      {items.map((g) => (
        <li class="gauge" key={g.id} data-testid="gauge" data-capability-id={g.id} data-ratio={g.ratio.toFixed(4)}>
          <Gauge ratio={g.ratio} label={`${g.name}: ${percent(g.ratio)} used`} />
          <p class="gauge-name">{g.name}</p>
          <p class="gauge-sub">
            {g.space
              ? `${number(g.use.reserved / Math.max(1, props.dates.length))} ${g.unit.replace(/_/g, " ")} avg. reserved`
              : `${number(g.use.reserved)} of ${number(g.use.usable)} h`}
          </p>
        </li>
      ))}
    </ul>
  );
}
