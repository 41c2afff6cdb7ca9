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

export function heatLevel(day: DayUtilization): number {
  if (day.capacity <= 0 || day.capacity - day.blocked <= 0) return -1;
  let level = 0;
  for (const step of STEPS) if (day.utilization >= step) level += 1;
  return level;
}

function describe(row: HeatRow, day: DayUtilization): string {
  const when = shortDate(day.date);
  if (day.capacity <= 0) return `${row.label}, ${when}: closed`;
  if (day.capacity - day.blocked <= 0) return `${row.label}, ${when}: blocked (maintenance)`;
  const unit = row.unit;
  const blocked = day.blocked > 0 ? `, ${number(day.blocked)} ${unit} blocked` : "";
  return `${row.label}, ${when}: ${percent(day.utilization)} used — ${number(day.reserved)} of ${number(
    day.capacity - day.blocked,
  )} ${unit} reserved, ${number(day.available)} free${blocked}`;
}

export function HeatMap(props: { rows: HeatRow[]; dates: string[]; today: string; highlight?: Set<string> }) {
  const { rows, dates, today } = props;
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
                {dates.map((date) => {
                  const day = byDate.get(date);
                  if (!day) return <td key={date} class="heat-cell level-none" aria-label="no data" />;
                  const level = heatLevel(day);
                  const flash = props.highlight?.has(`${row.key}:${date}`);
                  return (
                    <td
                      key={date}
                      class={`heat-cell level-${level < 0 ? "closed" : level} ${day.blocked > 0 ? "has-block" : ""} ${
                        flash ? "flash" : ""
                      }`}
                      title={describe(row, day)}
                      data-testid="heat-cell"
                      data-row={row.key}
                      data-capability-id={row.capability?.id}
                      data-capability-type={row.capability?.capabilityType}
                      data-date={date}
                      data-utilization={day.utilization.toFixed(4)}
                      data-reserved={day.reserved}
                    >
                      <span class="visually-hidden">{describe(row, day)}</span>
                      <span aria-hidden="true">{level <= 0 ? "" : `${Math.round(day.utilization * 100)}`}</span>
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
        Maintenance block
      </li>
    </ul>
  );
}

export function capabilitySublabel(c: Capability | null | undefined, unit: string): string {
  if (!c) return unit;
  if (c.kind === "SPACE") return `${c.quantity.toLocaleString("en-US")} ${enumLabel(c.unit).toLowerCase()}`;
  return `${c.quantity} × ${enumLabel(c.capabilityType).toLowerCase()}`;
}
