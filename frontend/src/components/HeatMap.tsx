// Capacity heat map: one row per capability, one column per day; colour = share of usable capacity reserved.
import type { Capability, DayUtilization } from "../api/types";
import { enumLabel, isWeekend, number, percent, shortDate, weekday } from "../lib/format";

export interface HeatRow {
  key: string;
  group: string;
  label: string;
  sublabel: string;
  capability?: Capability | null;
  unit: string;
  days: DayUtilization[];
}

const STEPS = [0.0001, 0.25, 0.5, 0.75, 0.9];

/** "closed" (no capacity that day: not an operating day), "maintenance" (all of it blocked), or 0–5. */
export function heatClass(day: DayUtilization): string {
  if (day.capacity <= 0) return "level-closed";
  if (day.capacity - day.blocked <= 0) return "level-maintenance";
  return `level-${heatLevel(day)}`;
}

export function heatLevel(day: DayUtilization): number {
  if (day.capacity <= 0 || day.capacity - day.blocked <= 0) return -1;
  let level = 0;
  for (const step of STEPS) if (day.utilization >= step) level += 1;
  return level;
}

function describe(row: HeatRow, day: DayUtilization): string {
  const when = shortDate(day.date);
  if (day.capacity <= 0) return `${row.label}, ${when}: closed`;
  if (day.capacity - day.blocked <= 0) return `${row.label}, ${when}: out of service (maintenance)`;
  const unit = row.unit;
  const blocked = day.blocked > 0 ? `, ${number(day.blocked)} ${unit} blocked` : "";
  return `${row.label}, ${when}: ${percent(day.utilization)} used — ${number(day.reserved)} of ${number(
    day.capacity - day.blocked,
  )} ${unit} reserved, ${number(day.available)} free${blocked}`;
}

/** Arrow keys move between cells (one tab stop for the whole map); Enter or a click opens what is behind one. */
function moveFocus(event: KeyboardEvent): void {
  const steps: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  const step = steps[event.key];
  const cell = (event.target as HTMLElement).closest<HTMLElement>("[data-cell]");
  if (!step || !cell) return;
  const [r, c] = (cell.dataset.cell ?? "0:0").split(":").map(Number);
  const next = cell.closest("table")?.querySelector<HTMLElement>(`[data-cell="${r + step[0]}:${c + step[1]}"] button`);
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

export function HeatMap(props: {
  rows: HeatRow[];
  dates: string[];
  today: string;
  highlight?: Set<string>;
  /** When given, each cell is a button that opens the bookings and blocks behind it. */
  onOpen?: (row: HeatRow, date: string) => void;
  selected?: string | null;
}) {
  const { rows, dates, today } = props;
  const focusable = props.selected ?? (rows[0] ? `${rows[0].key}:${dates[0]}` : "");
  return (
    <div class="heat-wrap" tabIndex={0} role="region" aria-label="Capacity heat map, scrolls sideways">
      <table class="heat" data-testid="heat-map">
        <caption class="visually-hidden">
          Share of each capability's usable capacity that is reserved, per day, from {shortDate(dates[0])} to{" "}
          {shortDate(dates[dates.length - 1])}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="heat-corner">
              Capability
            </th>
            {dates.map((d) => (
              <th
                scope="col"
                key={d}
                class={`heat-day ${d === today ? "is-today" : ""} ${isWeekend(d) ? "is-weekend" : ""}`}
              >
                <span class="visually-hidden">{shortDate(d)}</span>
                <span class="heat-wd" aria-hidden="true">
                  {weekday(d)}
                </span>
                <span class="heat-dn" aria-hidden="true">
                  {Number(d.slice(8, 10))}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const header =
              index === 0 || rows[index - 1].group !== row.group ? (
                <tr class="heat-group" key={`g-${row.group}`}>
                  <th scope="rowgroup" colSpan={dates.length + 1}>
                    {row.group}
                  </th>
                </tr>
              ) : null;
            const byDate = new Map(row.days.map((d) => [d.date, d]));
            return [
              header,
              <tr key={row.key}>
                <th scope="row" class="heat-label">
                  <span class="heat-name">{row.label}</span>
                  <span class="heat-sub">{row.sublabel}</span>
                </th>
                {dates.map((date, column) => {
                  const day = byDate.get(date);
                  if (!day) return <td key={date} class="heat-cell level-none" aria-label="no data" />;
                  const level = heatLevel(day);
                  const flash = props.highlight?.has(`${row.key}:${date}`);
                  const key = `${row.key}:${date}`;
                  const text = describe(row, day);
                  const open = props.onOpen;
                  return (
                    <td
                      key={date}
                      class={`heat-cell ${heatClass(day)} ${day.blocked > 0 ? "has-block" : ""} ${flash ? "flash" : ""} ${
                        props.selected === key ? "is-selected" : ""
                      }`}
                      title={text}
                      data-cell={`${index}:${column}`}
                      data-testid="heat-cell"
                      data-row={row.key}
                      data-capability-id={row.capability?.id}
                      data-capability-type={row.capability?.capabilityType}
                      data-date={date}
                      data-utilization={day.utilization.toFixed(4)}
                      data-reserved={day.reserved}
                    >
                      {open ? (
                        <button
                          type="button"
                          class="heat-btn"
                          tabIndex={key === focusable ? 0 : -1}
                          aria-pressed={props.selected === key}
                          onClick={() => open(row, date)}
                          onKeyDown={moveFocus}
                          data-testid="heat-open"
                        >
                          <span class="visually-hidden">{text}</span>
                          <span aria-hidden="true">{level <= 0 ? "" : `${Math.round(day.utilization * 100)}`}</span>
                        </button>
                      ) : (
                        <>
                          <span class="visually-hidden">{text}</span>
                          <span aria-hidden="true">{level <= 0 ? "" : `${Math.round(day.utilization * 100)}`}</span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}

export function HeatLegend() {
  const items: [string, string][] = [
    ["0", "Free"],
    ["1", "1–24%"],
    ["2", "25–49%"],
    ["3", "50–74%"],
    ["4", "75–89%"],
    ["5", "90%+"],
    ["closed", "Closed"],
    ["maintenance", "Maintenance"],
  ];
  return (
    <ul class="heat-legend" aria-label="Legend">
      {items.map(([level, label]) => (
        <li key={level}>
          <span class={`heat-swatch level-${level}`} aria-hidden="true" />
          {label}
        </li>
      ))}
      <li>
        <span class="heat-swatch level-2 has-block" aria-hidden="true" />
        Partly blocked
      </li>
    </ul>
  );
}

export function capabilitySublabel(c: Capability | null | undefined, unit: string): string {
  if (!c) return unit;
  if (c.kind === "SPACE") return `${c.quantity.toLocaleString("en-US")} ${enumLabel(c.unitType).toLowerCase()}`;
  return `${c.quantity} × ${enumLabel(c.capabilityType).toLowerCase()}`;
}
