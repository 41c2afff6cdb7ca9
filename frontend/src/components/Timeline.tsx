// Today's timeline per lift, booth and person: reserved and blocked time in the facility's local hours.
import type { Capability, CapacityBlock } from "../api/types";
import { hourOfDay, localDate, timeOf } from "../lib/format";
import { Empty } from "./ui";

interface Lane {
  key: string;
  label: string;
  group: string;
  items: { block: CapacityBlock; start: number; end: number }[];
}

function span(block: CapacityBlock, day: string, tz: string): { start: number; end: number } | null {
  const startDay = localDate(block.startTime, tz);
  const endDay = localDate(block.endTime, tz);
  if (startDay > day || endDay < day) return null;
  const start = startDay < day ? 0 : hourOfDay(block.startTime, tz);
  const end = endDay > day ? 24 : hourOfDay(block.endTime, tz);
  return end > start ? { start, end } : null;
}

/** One lane per physical unit (lift 1…4) so overlapping reservations sit side by side, never on top. */
export function buildLanes(capabilities: Capability[], blocks: CapacityBlock[], day: string, tz: string): Lane[] {
  const lanes: Lane[] = [];
  for (const cap of capabilities.filter((c) => c.kind === "TIME_SHARED")) {
    const own: Lane[] = Array.from({ length: Math.max(1, cap.quantity) }, (_, i) => ({
      key: `c${cap.id}-${i}`,
      label: cap.quantity > 1 ? `${cap.name} ${i + 1}` : cap.name,
      group: cap.name,
      items: [],
    }));
    const mine = blocks
      .filter((b) => b.resourceType === "FACILITY_CAPABILITY" && b.capability?.id === cap.id)
      .flatMap((b) => {
        const s = span(b, day, tz);
        return s ? [{ block: b, ...s }] : [];
      })
      .sort((a, b) => a.start - b.start);
    for (const item of mine) {
      const lane = own.find((l) => l.items.every((o) => o.end <= item.start || o.start >= item.end)) ?? own[0];
      lane.items.push(item);
    }
    lanes.push(...own);
  }
  const people = new Map<number, Lane>();
  for (const b of blocks.filter((x) => x.resourceType === "USER_LABOR" && x.user)) {
    const s = span(b, day, tz);
    if (!s) continue;
    const lane = people.get(b.user!.id) ?? { key: `u${b.user!.id}`, label: b.user!.fullName, group: "Labor", items: [] };
    lane.items.push({ block: b, ...s });
    people.set(b.user!.id, lane);
  }
  return [...lanes, ...people.values()];
}

export function Timeline(props: { capabilities: Capability[]; blocks: CapacityBlock[]; day: string; timeZone: string }) {
  const lanes = buildLanes(props.capabilities, props.blocks, props.day, props.timeZone);
  if (lanes.length === 0) {
    return <Empty title="No lifts or booths to show">Add a time-shared capability to see its day here.</Empty>;
  }
  const all = lanes.flatMap((l) => l.items);
  const first = Math.floor(Math.min(7, ...all.map((i) => i.start)));
  const last = Math.ceil(Math.max(19, ...all.map((i) => i.end)));
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const pos = (h: number) => `${((h - first) / (last - first)) * 100}%`;
  const now = hourOfDay(new Date().toISOString(), props.timeZone);
  const showNow = now >= first && now <= last;
  const busy = all.length;

  return (
    <div class="timeline" data-testid="timeline">
      <p class="timeline-summary">
        {busy === 0 ? "Nothing reserved or blocked today." : `${busy} reservation${busy === 1 ? "" : "s"} or block${busy === 1 ? "" : "s"} today.`}
      </p>
      <div class="tl-grid" role="list">
        <div class="tl-axis" aria-hidden="true">
          <span class="tl-label" />
          <div class="tl-track">
            {hours.map((h) => (
              <span class="tl-hour" key={h} style={{ left: pos(h) }}>
                {h % 12 === 0 ? 12 : h % 12}
                {h < 12 || h === 24 ? "a" : "p"}
              </span>
            ))}
          </div>
        </div>
        {lanes.map((lane) => (
          <div class="tl-row" role="listitem" key={lane.key} data-lane={lane.key}>
            <span class="tl-label">{lane.label}</span>
            <div class="tl-track">
              {hours.map((h) => (
                <span class="tl-tick" key={h} style={{ left: pos(h) }} aria-hidden="true" />
              ))}
              {showNow && <span class="tl-now" style={{ left: pos(now) }} aria-hidden="true" />}
              {lane.items.length === 0 && <span class="visually-hidden">free all day</span>}
              {lane.items.map(({ block, start, end }) => {
                const label = block.isBlocked
                  ? `Blocked${block.notes ? `: ${block.notes}` : ""}`
                  : block.bookingId
                    ? `Booking #${block.bookingId}`
                    : "Reserved";
                const time = `${timeOf(block.startTime, props.timeZone)}–${timeOf(block.endTime, props.timeZone)}`;
                return (
                  <span
                    key={block.id}
                    class={`tl-block ${block.isBlocked ? "is-blocked" : "is-reserved"}`}
                    style={{ left: pos(start), width: `calc(${pos(end)} - ${pos(start)})` }}
                    title={`${lane.label}: ${label}, ${time}`}
                  >
                    <span class="tl-block-text">{label}</span>
                    <span class="visually-hidden">, {time}</span>
                  </span>
                );
              })}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
