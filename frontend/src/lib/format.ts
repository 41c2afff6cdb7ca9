// Formatting: money from integer cents, labels for enum values, and dates and times in a facility's own time
// zone: every function that places an instant takes the zone (never the browser's), and the view names it.
import type { BookingAction, BookingStatus, Vehicle } from "../api/types";
import type { ServiceType } from "../gql/graphql";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usdWhole = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export function money(cents: number | null | undefined, whole = false): string {
  if (cents == null) return "—";
  return (whole && cents % 100 === 0 ? usdWhole : usd).format(cents / 100);
}

export function percent(ratio: number | null | undefined, digits = 0): string {
  if (ratio == null || Number.isNaN(ratio)) return "—";
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function number(value: number, digits = 1): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** Where no facility is involved yet (a new request's earliest date), the person's own zone; nothing else uses it. */
export const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Platform-wide figures (the operator's metrics) are per UTC day. */
export const PLATFORM_ZONE = "UTC";

/** A booking's times are its facility's; one not yet matched to a facility has none to show (UTC, named). */
export function zoneOf(booking: { organization?: { timezone: string } | null } | null | undefined): string {
  return booking?.organization?.timezone ?? PLATFORM_ZONE;
}

/** Today's date (YYYY-MM-DD) in a timezone. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(),
  );
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function dateRange(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(from, i));
}

/** "Tue 3 Dec" for a calendar date (no timezone: it is already the facility's day). */
export function shortDate(isoDate: string, withWeekday = true): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  return new Intl.DateTimeFormat("en-US", {
    timeZone: "UTC",
    weekday: withWeekday ? "short" : undefined,
    month: "short",
    day: "numeric",
  }).format(d);
}

export function weekday(isoDate: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "narrow" }).format(new Date(`${isoDate}T12:00:00Z`));
}

export function isWeekend(isoDate: string): boolean {
  const day = new Date(`${isoDate}T12:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

export function dateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(iso));
}

export function dayOf(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", month: "short", day: "numeric" }).format(
    new Date(iso),
  );
}

export function timeOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit" }).format(new Date(iso));
}

/** Hours since local midnight of `iso` in a timezone (for placing blocks on a day's timeline). */
export function hourOfDay(iso: string, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date(iso))
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return Number(parts.hour) + Number(parts.minute) / 60;
}

export function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(iso),
  );
}

export function relative(iso: string): string {
  const minutes = Math.round((Date.parse(iso) - Date.now()) / 60_000);
  const fmt = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  if (Math.abs(minutes) < 60) return fmt.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return fmt.format(hours, "hour");
  return fmt.format(Math.round(hours / 24), "day");
}

export function vehicleName(v: Pick<Vehicle, "year" | "make" | "model"> | null | undefined): string {
  return v ? `${v.year} ${v.make} ${v.model}` : "No vehicle";
}

/** "VEHICLE_LIFT" → "Vehicle lift". */
export function enumLabel(value: string | null | undefined): string {
  if (!value) return "";
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Names of the kinds of work, as a person says them (a new type in the schema must get one here). */
export const SERVICE_TYPE_LABEL: Record<ServiceType, string> = {
  BODYWORK: "Paint and body work",
  LIGHT_RESTORATION: "Light restoration",
  MECHANICAL_REPAIR: "Mechanical repair",
  PROFESSIONAL_DETAILING: "Professional detailing",
  PAINT_CORRECTION: "Paint correction",
  CERAMIC_COATING: "Ceramic coating",
  INSPECTION_SERVICES: "Inspection",
  FABRICATION: "Fabrication",
  CONSIGNMENT_MANAGEMENT: "Consignment management",
  INDOOR_STORAGE: "Indoor storage",
  OUTDOOR_STORAGE: "Outdoor storage",
  TRANSPORT_COORDINATION: "Transport coordination",
  PHOTOGRAPHY: "Photography",
  LISTING_MANAGEMENT: "Listing management",
};

export function serviceTypeLabel(value: string): string {
  return SERVICE_TYPE_LABEL[value as ServiceType] ?? enumLabel(value);
}

export const STATUS_LABEL: Record<BookingStatus, string> = {
  QUOTE_REQUESTED: "Quote requested",
  CALCULATING: "Calculating",
  QUOTE_READY: "Quote ready",
  QUOTE_ACCEPTED: "Accepted",
  SCHEDULED: "Scheduled",
  IN_PROGRESS: "In progress",
  QUALITY_REVIEW: "Quality review",
  COMPLETED: "Completed",
  PAID: "Paid",
  CANCELLED: "Cancelled",
  DISPUTED: "Disputed",
};

export function statusLabel(status: BookingStatus | string): string {
  return STATUS_LABEL[status as BookingStatus] ?? enumLabel(status);
}

/** The board's work moves: which status each server-offered action moves to, and its button label.
 * Only actions listed in the booking's nextActions are shown, so the board never offers a refused move. */
export const BOARD_MOVES: Partial<Record<BookingAction, BookingStatus>> = {
  START_WORK: "IN_PROGRESS",
  REQUEST_REVIEW: "QUALITY_REVIEW",
  COMPLETE: "COMPLETED",
};

export function moveLabel(action: BookingAction, from: BookingStatus): string {
  if (action === "START_WORK") return from === "SCHEDULED" ? "Start work" : "Resume work";
  if (action === "REQUEST_REVIEW") return "Send to review";
  if (action === "COMPLETE") return "Mark completed";
  return enumLabel(action);
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  })
    .formatToParts(new Date(instant))
    .reduce<Record<string, number>>((acc, p) => (p.type === "literal" ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant (ISO, UTC) of a wall-clock date and time in a facility's zone, e.g. 2026-12-07 09:00 in Los Angeles. */
export function zonedInstant(isoDate: string, time: string, timeZone: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Twice: the offset at the first guess may differ across a daylight-saving change.
  let instant = wall - offsetMinutes(wall, timeZone) * 60_000;
  instant = wall - offsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant).toISOString();
}
