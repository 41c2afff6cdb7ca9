// Planning for a facility's owners: the heat map from a chosen date (each cell opens the bookings and blocks
// behind it, by mouse or keyboard), a day or week timeline per lift, booth and person, and a maintenance
// block added from here. All dates and times are the facility's, named on screen.
import { useMemo, useState } from "preact/hooks";
import { gql } from "../api/client";
import { useLive, useQuery } from "../api/hooks";
import { BLOCK_CAPACITY, CAPACITY_BLOCKS, CAPACITY_CHANGED, ORGANIZATION, UTILIZATION } from "../api/operations";
import type { Capability, CapacityBlock, OrganizationSummary } from "../api/types";
import { capabilitySublabel, HeatLegend, HeatMap, type HeatRow } from "../components/HeatMap";
import { buildLanes, Timeline } from "../components/Timeline";
import { Empty, ErrorNotice, InlineError, LiveIndicator, Loading, Panel, TimeZoneNote } from "../components/ui";
import { dateRange, enumLabel, hourOfDay, localDate, number, shortDate, timeOf, todayIn, zonedInstant } from "../lib/format";

const DAYS = 21;

export function PlanningView(props: { organizationId: number }) {
  const org = useQuery(ORGANIZATION, { id: props.organizationId });
  if (org.error) return <ErrorNotice error={org.error} what="Facility" onRetry={org.refetch} />;
  if (!org.data) return <Loading label="Loading the plan…" rows={6} />;
  return <Planning organization={org.data.organization} />;
}

function Planning(props: { organization: OrganizationSummary }) {
  const o = props.organization;
  const tz = o.timezone;
  const [from, setFrom] = useState(todayIn(tz));
  const [mode, setMode] = useState<"day" | "week">("day");
  const [selected, setSelected] = useState<{ row: HeatRow; date: string } | null>(null);
  const dates = useMemo(() => dateRange(from, DAYS), [from]);
  const util = useQuery(UTILIZATION, { organizationId: o.id, from: dates[0], to: dates[dates.length - 1] });
  const blocks = useQuery(CAPACITY_BLOCKS, { id: o.id });
  const live = useLive(CAPACITY_CHANGED, { organizationId: o.id }, () => {
    void util.refetch();
    void blocks.refetch();
  });
  const day = selected?.date ?? from;
  const all = blocks.data?.organization.capacityBlocks.nodes ?? [];

  const rows: HeatRow[] = useMemo(() => {
    const u = util.data?.utilization;
    if (!u) return [];
    return [
      ...u.capabilities.map((c) => ({
        key: `cap-${c.capability?.id}`,
        group: "Equipment",
        label: c.capability?.capabilityName ?? "Capability",
        sublabel: capabilitySublabel(c.capability, ""),
        capability: c.capability,
        unit: c.capability?.kind === "SPACE" ? (c.capability.unitType || "units").replace(/_/g, " ") : "h",
        days: c.days,
      })),
      ...u.labor.map((l) => ({ key: `user-${l.user?.id}`, group: "Labor", label: l.user?.fullName ?? "Labor", sublabel: "labor hours", unit: "h", days: l.days })),
    ];
  }, [util.data]);

  function reload() {
    void util.refetch();
    void blocks.refetch();
  }

  return (
    <div class="view" data-testid="planning-view">
      <div class="view-head">
        <div>
          <p class="eyebrow">
            <a class="link" href={`#/facility/${o.id}`}>
              ← {o.name}
            </a>
          </p>
          <h1>Planning</h1>
          <p class="view-sub">
            Open a day of any lift, booth or person to see what holds it · <TimeZoneNote timeZone={tz} what="dates and times" />
          </p>
        </div>
        <LiveIndicator error={live} />
      </div>

      <div class="plan-controls">
        <label class="field">
          <span>From</span>
          <input
            type="date"
            name="planDate"
            value={from}
            onInput={(e) => {
              if (e.currentTarget.value) {
                setFrom(e.currentTarget.value);
                setSelected(null);
              }
            }}
          />
        </label>
        <div class="segmented" role="group" aria-label="Timeline span">
          <button type="button" class="btn btn-small" aria-pressed={mode === "day"} onClick={() => setMode("day")}>
            Day
          </button>
          <button type="button" class="btn btn-small" aria-pressed={mode === "week"} onClick={() => setMode("week")}>
            Week
          </button>
        </div>
      </div>

      <Panel id="plan-heat" title={`Capacity, ${shortDate(dates[0])} – ${shortDate(dates[dates.length - 1])}`} subtitle="Arrow keys move between days; Enter opens one" actions={<HeatLegend />}>
        {util.error ? (
          <ErrorNotice error={util.error} what="Utilization" onRetry={util.refetch} />
        ) : !util.data ? (
          <Loading rows={5} />
        ) : rows.length === 0 ? (
          <Empty title="No equipment with capacity yet" icon="grid" />
        ) : (
          <HeatMap rows={rows} dates={dates} today={todayIn(tz)} onOpen={(row, date) => setSelected({ row, date })} selected={selected ? `${selected.row.key}:${selected.date}` : null} />
        )}
      </Panel>

      {selected && <Behind row={selected.row} date={selected.date} blocks={all} organizationId={o.id} timeZone={tz} onClose={() => setSelected(null)} />}

      <Panel id="plan-timeline" title={mode === "day" ? `Timeline, ${shortDate(day)}` : `Week from ${shortDate(day)}`}>
        {blocks.error ? (
          <ErrorNotice error={blocks.error} what="Schedule" onRetry={blocks.refetch} />
        ) : !blocks.data ? (
          <Loading rows={4} />
        ) : mode === "day" ? (
          <Timeline capabilities={o.capabilities} blocks={all} day={day} timeZone={tz} />
        ) : (
          <WeekTimeline capabilities={o.capabilities} blocks={all} from={day} timeZone={tz} />
        )}
      </Panel>
      <Panel id="plan-block" title="Add a maintenance block" subtitle="Takes equipment out of service; refused where bookings hold it">
        <BlockForm capabilities={o.capabilities} timeZone={tz} day={day} onDone={reload} />
      </Panel>
    </div>
  );
}

/** The bookings and blocks behind one heat-map cell. */
function Behind(props: { row: HeatRow; date: string; blocks: CapacityBlock[]; organizationId: number; timeZone: string; onClose: () => void }) {
  const { row, date, timeZone } = props;
  const items = props.blocks
    .filter((b) => (row.key.startsWith("cap-") ? `cap-${b.capability?.id}` === row.key : `user-${b.user?.id}` === row.key))
    .filter((b) => localDate(b.startTime, timeZone) <= date && localDate(new Date(Date.parse(b.endTime) - 1).toISOString(), timeZone) >= date)
    .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  return (
    <Panel id="behind" title={`${row.label}, ${shortDate(date)}`} subtitle="What holds it that day" actions={<button type="button" class="btn btn-small btn-ghost" onClick={props.onClose}>Close</button>}>
      {items.length === 0 ? (
        <Empty title="Nothing reserved or blocked that day" />
      ) : (
        <ul class="behind" data-testid="behind">
          {items.map((b) => (
            <li key={b.id} class={b.isBlocked ? "is-blocked" : ""} data-testid="behind-item" data-kind={b.isBlocked ? "block" : "booking"}>
              <strong>{b.isBlocked ? `Maintenance${b.notes ? `: ${b.notes}` : ""}` : b.bookingId ? <a class="link" href={`#/facility/${props.organizationId}/booking/${b.bookingId}`}>Booking #{b.bookingId}</a> : "Reserved"}</strong>
              <span class="people-meta">
                {timeOf(b.startTime, timeZone)} – {timeOf(b.endTime, timeZone)}
                {localDate(b.endTime, timeZone) !== localDate(b.startTime, timeZone) ? ` (${shortDate(localDate(b.endTime, timeZone))})` : ""}
                {b.units > 0 ? ` · ${b.units} ${b.units === 1 ? "unit" : "units"}` : b.isBlocked ? " · all of it" : ""}
                {b.durationHours > 0 && !b.isBlocked ? ` · ${number(b.durationHours)} h` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** Seven days side by side, one row per lift, booth and person; each block sits at its local hours. */
function WeekTimeline(props: { capabilities: Capability[]; blocks: CapacityBlock[]; from: string; timeZone: string }) {
  const days = dateRange(props.from, 7);
  const perDay = days.map((d) => buildLanes(props.capabilities, props.blocks, d, props.timeZone));
  const lanes = perDay[0].map((l) => ({ key: l.key, label: l.label }));
  for (const dayLanes of perDay) for (const l of dayLanes) if (!lanes.some((x) => x.key === l.key)) lanes.push({ key: l.key, label: l.label });
  if (lanes.length === 0) return <Empty title="No lifts, booths or people to show" />;
  const columns = `150px repeat(7, minmax(0, 1fr))`;
  return (
    <div class="week" data-testid="week-timeline" tabIndex={0} role="region" aria-label="Week timeline, scrolls sideways">
      <div class="week-grid" style={{ gridTemplateColumns: columns }} role="table" aria-label={`Week from ${shortDate(props.from)}`}>
        <div role="row" style={{ display: "contents" }}>
          <span role="columnheader" class="week-head">
            <span class="visually-hidden">Resource</span>
          </span>
          {days.map((d) => (
            <span role="columnheader" class="week-head" key={d}>
              {shortDate(d)}
            </span>
          ))}
        </div>
        {lanes.map((lane) => (
          <div role="row" key={lane.key} style={{ display: "contents" }}>
            <span role="rowheader" class="tl-label">
              {lane.label}
            </span>
            {days.map((d, i) => {
              const items = perDay[i].find((l) => l.key === lane.key)?.items ?? [];
              return (
                <div role="cell" class="week-cell" key={d}>
                  {items.length === 0 && <span class="visually-hidden">free</span>}
                  {items.map(({ block, start, end }) => (
                    <span
                      key={block.id}
                      class={`tl-block ${block.isBlocked ? "is-blocked" : "is-reserved"}`}
                      style={{ left: `${(start / 24) * 100}%`, width: `${Math.max(4, ((end - start) / 24) * 100)}%` }}
                      title={`${lane.label}: ${block.isBlocked ? `maintenance ${block.notes}` : `booking #${block.bookingId}`}, ${timeOf(block.startTime, props.timeZone)}–${timeOf(block.endTime, props.timeZone)}`}
                    >
                      <span class="visually-hidden">
                        {block.isBlocked ? `Maintenance: ${block.notes}` : `Booking #${block.bookingId}`}, {number(hourOfDay(block.startTime, props.timeZone))}h
                      </span>
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

function BlockForm(props: { capabilities: Capability[]; timeZone: string; day: string; onDone: () => void }) {
  const [capabilityId, setCapabilityId] = useState(String(props.capabilities[0]?.id ?? ""));
  const [date, setDate] = useState(props.day);
  const [endDate, setEndDate] = useState(props.day);
  const [start, setStart] = useState("08:00");
  const [end, setEnd] = useState("12:00");
  const [units, setUnits] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  if (props.capabilities.length === 0) return <Empty title="No equipment to block" />;
  const capability = props.capabilities.find((c) => String(c.id) === capabilityId);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await gql(BLOCK_CAPACITY, {
        capabilityId: Number(capabilityId),
        start: zonedInstant(date, start, props.timeZone),
        end: zonedInstant(endDate < date ? date : endDate, end, props.timeZone),
        reason,
        units: units ? Number(units) : null,
      });
      const b = result.blockCapacity;
      setDone(`Blocked ${b.capability?.capabilityName ?? "it"} ${shortDate(localDate(b.startTime, props.timeZone))} ${timeOf(b.startTime, props.timeZone)}–${timeOf(b.endTime, props.timeZone)}.`);
      setReason("");
      props.onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form" onSubmit={submit} data-testid="block-form">
      <div class="form-grid">
        <label class="field field-wide">
          <span>Equipment</span>
          <select name="capabilityId" value={capabilityId} onChange={(e) => setCapabilityId(e.currentTarget.value)}>
            {props.capabilities.map((c) => (
              <option key={c.id} value={c.id}>
                {c.capabilityName || enumLabel(c.capabilityType)} ({c.quantity} {enumLabel(c.unitType).toLowerCase()})
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>From day</span>
          <input type="date" name="blockDate" required value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>at</span>
          <input type="time" name="blockStart" required value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Until day</span>
          <input type="date" name="blockEndDate" required value={endDate} min={date} onInput={(e) => setEndDate(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>at</span>
          <input type="time" name="blockEnd" required value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>
            How many <span class="optional">empty: all {capability?.quantity ?? ""}</span>
          </span>
          <input type="number" name="blockUnits" min={1} max={capability?.quantity} value={units} onInput={(e) => setUnits(e.currentTarget.value)} />
        </label>
        <label class="field field-wide">
          <span>Reason</span>
          <input type="text" name="blockReason" required maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder="Hydraulic service" />
        </label>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? "Blocking…" : "Add maintenance block"}
        </button>
      </div>
      {done && (
        <p class="notice notice-muted" role="status" data-testid="block-done">
          {done}
        </p>
      )}
      <InlineError error={error} />
    </form>
  );
}
