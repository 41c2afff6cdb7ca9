// Errors from the API, turned into words a person can act on.
import { serviceTypeLabel } from "../lib/format";

export interface GraphQLErrorPayload {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; errorId?: string; details?: ErrorDetails; [key: string]: unknown };
}

/** `extensions.details` of a domain error (app/errors.py): what a client can act on. */
export interface ErrorDetails {
  reasons?: unknown[];
  serviceType?: string;
  [key: string]: unknown;
}

/** Codes the API sends in errors[].extensions.code, plus the ones the client itself raises. */
const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: "Your session has ended. Please sign in again.",
  BAD_CREDENTIALS: "Email or password is incorrect.",
  FORBIDDEN: "Your account doesn't have access to this.",
  NOT_FOUND: "We couldn't find that. It may have been removed.",
  RATE_LIMITED: "Too many attempts in a short time. Please wait a minute and try again.",
  CONFLICT: "Someone else changed this at the same time. Reload and try again.",
  INVALID_TRANSITION: "That step isn't possible from the booking's current status.",
  NO_FEASIBLE_OPTION: "No facility can take this job in that window. Try later dates, allow flexible dates or widen the search.",
  CAPACITY_UNAVAILABLE: "That time was just taken by another booking. Request a fresh quote.",
  QUOTE_EXPIRED: "This quote has expired. Request a new one to get current prices and dates.",
  PAYMENT_FAILED: "The payment didn't go through. No money was moved; please try again.",
  INTERNAL_SERVER_ERROR: "Something went wrong on our side. Please try again in a moment.",
  NETWORK: "Can't reach the server. Check your connection; we'll keep trying.",
  BAD_RESPONSE: "The server sent an answer we couldn't read. Please try again.",
};

export class ApiError extends Error {
  readonly code: string;
  readonly field?: string;
  readonly errorId?: string;
  readonly detail: string;
  readonly details: ErrorDetails;

  constructor(code: string, detail: string, field?: string, errorId?: string, details: ErrorDetails = {}) {
    super(humanMessage(code, detail, field, details));
    this.name = "ApiError";
    this.code = code;
    this.detail = detail;
    this.field = field;
    this.errorId = errorId;
    this.details = details;
  }

  static from(payload: GraphQLErrorPayload): ApiError {
    const ext = payload.extensions ?? {};
    const code = typeof ext.code === "string" && ext.code ? ext.code : "INTERNAL_SERVER_ERROR";
    return new ApiError(code, payload.message, ext.field, ext.errorId, ext.details ?? {});
  }
}

/** On the sign-in form UNAUTHENTICATED means wrong credentials, not an ended session. */
export function signInError(error: unknown): unknown {
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") return new ApiError("BAD_CREDENTIALS", error.detail);
  return error;
}

export function humanMessage(code: string, detail: string, field?: string, details: ErrorDetails = {}): string {
  // Bad input and most domain errors carry a message written for people: show it.
  if (code === "BAD_INPUT") return field ? `${labelOf(field)}: ${detail}` : detail;
  if (code === "NOT_FOUND" && detail) return detail;
  if (code === "INVALID_TRANSITION" && detail) return `${MESSAGES.INVALID_TRANSITION} (${detail})`;
  // A maintenance block that would take reserved capacity: the server names the bookings in the way.
  if (code === "CAPACITY_UNAVAILABLE" && Array.isArray(details.bookingIds) && detail) return detail;
  // No reasons means no candidate at all: nobody offers the service, whatever the dates.
  if (code === "NO_FEASIBLE_OPTION" && details.serviceType && !details.reasons?.length) {
    return `No facility offers ${serviceTypeLabel(details.serviceType).toLowerCase()}.`;
  }
  return MESSAGES[code] ?? detail ?? "Something went wrong.";
}

function labelOf(field: string): string {
  const words = field.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_.]/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return error.errorId ? `${error.message} (reference ${error.errorId})` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
