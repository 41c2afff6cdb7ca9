// The customer's quote request: what work, on which vehicle, from when, how far to look.
import { useState } from "preact/hooks";
import { gql, succeeded } from "../api/client";
import { ApiError } from "../api/errors";
import { REQUEST_QUOTE } from "../api/operations";
import type { BookingDetail, ViewerData } from "../api/types";
import type { QuoteRequestInput, ServiceType } from "../gql/graphql";
import { InlineError } from "../components/ui";
import { addDays, BROWSER_ZONE, SERVICE_TYPE_LABEL, todayIn, vehicleName } from "../lib/format";

// The seed's fourteen service types, in the order a customer looks for them.
export const SERVICE_TYPES: ServiceType[] = [
  "BODYWORK",
  "LIGHT_RESTORATION",
  "MECHANICAL_REPAIR",
  "PROFESSIONAL_DETAILING",
  "PAINT_CORRECTION",
  "CERAMIC_COATING",
  "INSPECTION_SERVICES",
  "FABRICATION",
  "CONSIGNMENT_MANAGEMENT",
  "INDOOR_STORAGE",
  "OUTDOOR_STORAGE",
  "TRANSPORT_COORDINATION",
  "PHOTOGRAPHY",
  "LISTING_MANAGEMENT",
];

type User = NonNullable<ViewerData["viewer"]["user"]>;

export function QuoteForm(props: { user: User; onQuoted: (booking: BookingDetail) => void }) {
  const vehicles = props.user.vehicles;
  const [serviceType, setServiceType] = useState<ServiceType>("BODYWORK");
  const [vehicleId, setVehicleId] = useState<string>(vehicles[0] ? String(vehicles[0].id) : "");
  const [start, setStart] = useState(addDays(todayIn(BROWSER_ZONE), 1));
  const [end, setEnd] = useState("");
  const [flexible, setFlexible] = useState(true);
  const [radius, setRadius] = useState(props.user.latitude != null ? "25" : "");
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setError(null);
    if (end && end < start) {
      setError(new ApiError("BAD_INPUT", "must be on or after the start date", "requestedCompletionDate"));
      return;
    }
    const input: QuoteRequestInput = { serviceType, requestedStartDate: start, flexibleTimeline: flexible };
    if (vehicleId) input.vehicleId = Number(vehicleId);
    if (end) input.requestedCompletionDate = end;
    if (notes.trim()) input.customerNotes = notes.trim();
    if (radius && props.user.latitude != null && props.user.longitude != null) {
      input.near = { latitude: props.user.latitude, longitude: props.user.longitude, radiusMiles: Number(radius) };
    }
    setBusy(true);
    try {
      const data = await gql(REQUEST_QUOTE, { input });
      props.onQuoted(succeeded(data.requestQuote, "ServiceBooking"));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (name: string) => error instanceof ApiError && error.field === name;
  return (
    <form class="form" onSubmit={submit} data-testid="quote-form" aria-describedby="quote-help">
      <p id="quote-help" class="form-help">
        We find a facility with free equipment, match skilled people and price the job to the cent. It takes a second.
      </p>
      <div class="form-grid">
        <label class="field">
          <span>Service</span>
          <select name="serviceType" value={serviceType} onChange={(e) => setServiceType(SERVICE_TYPES.find((t) => t === e.currentTarget.value) ?? "BODYWORK")} aria-invalid={fieldError("serviceType")}>
            {SERVICE_TYPES.map((t) => (
              <option key={t} value={t}>
                {SERVICE_TYPE_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Vehicle</span>
          <select name="vehicleId" value={vehicleId} onChange={(e) => setVehicleId(e.currentTarget.value)} aria-invalid={fieldError("vehicleId")}>
            {vehicles.map((v) => (
              <option key={v.id} value={String(v.id)}>
                {vehicleName(v)}
              </option>
            ))}
            <option value="">No vehicle (storage, fabrication)</option>
          </select>
        </label>
        <label class="field">
          <span>Start from</span>
          <input type="date" name="requestedStartDate" required value={start} min={todayIn(BROWSER_ZONE)} onInput={(e) => setStart(e.currentTarget.value)} aria-invalid={fieldError("requestedStartDate")} />
        </label>
        <label class="field">
          <span>
            Done by <span class="optional">optional</span>
          </span>
          <input type="date" name="requestedCompletionDate" value={end} min={start} onInput={(e) => setEnd(e.currentTarget.value)} aria-invalid={fieldError("requestedCompletionDate")} />
        </label>
        <label class="field">
          <span>Search area</span>
          <select name="radius" value={radius} onChange={(e) => setRadius(e.currentTarget.value)} disabled={props.user.latitude == null}>
            <option value="10">Within 10 miles</option>
            <option value="25">Within 25 miles</option>
            <option value="50">Within 50 miles</option>
            <option value="">Any distance</option>
          </select>
        </label>
        <label class="field field-check">
          <input type="checkbox" name="flexibleTimeline" checked={flexible} onChange={(e) => setFlexible(e.currentTarget.checked)} />
          <span>My dates are flexible</span>
        </label>
        <label class="field field-wide">
          <span>
            Notes for the shop <span class="optional">optional</span>
          </span>
          <textarea name="notes" rows={2} maxLength={2000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} placeholder="Colour, condition, anything they should know" />
        </label>
      </div>
      <InlineError error={error} />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? "Finding the best option…" : "Get a quote"}
        </button>
      </div>
    </form>
  );
}
