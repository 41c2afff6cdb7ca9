// Small building blocks shared by every view: panels, loading, empty and error states, badges.
import type { ComponentChildren } from "preact";
import { errorText } from "../api/errors";
import { useLinkState } from "../api/hooks";
import type { BookingStatus } from "../api/types";
import { statusLabel } from "../lib/format";
import { Icon } from "./Icon";

export function Panel(props: {
  title: string;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
  id?: string;
  class?: string;
}) {
  const headingId = props.id ? `${props.id}-title` : undefined;
  return (
    <section class={`panel ${props.class ?? ""}`} id={props.id} aria-labelledby={headingId}>
      <header class="panel-head">
        <div>
          <h2 id={headingId}>{props.title}</h2>
          {props.subtitle && <p class="panel-sub">{props.subtitle}</p>}
        </div>
        {props.actions && <div class="panel-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export function Loading(props: { label?: string; rows?: number }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="visually-hidden">{props.label ?? "Loading…"}</span>
      {Array.from({ length: props.rows ?? 3 }, (_, i) => (
        <div class="skeleton" key={i} style={{ width: `${92 - i * 14}%` }} />
      ))}
    </div>
  );
}

/** Names the zone the dates and times around it are shown in (always the facility's). */
export function TimeZoneNote(props: { timeZone: string; what?: string }) {
  return (
    <span class="tz-note" data-testid="time-zone" data-time-zone={props.timeZone}>
      {props.what ?? "times"} in {props.timeZone}
    </span>
  );
}

export function Empty(props: { title: string; children?: ComponentChildren; icon?: string }) {
  return (
    <div class="empty">
      <div class="empty-icon" aria-hidden="true">
        <Icon name={props.icon ?? "inbox"} />
      </div>
      <p class="empty-title">{props.title}</p>
      {props.children && <div class="empty-body">{props.children}</div>}
    </div>
  );
}

export function ErrorNotice(props: { error: unknown; onRetry?: () => void; what?: string }) {
  return (
    <div class="notice notice-error" role="alert">
      <strong>{props.what ? `Couldn't load ${props.what.toLowerCase()}` : "Something went wrong"}</strong>
      <span>{errorText(props.error)}</span>
      {props.onRetry && (
        <button type="button" class="btn btn-small" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function InlineError(props: { error: unknown }) {
  if (!props.error) return null;
  return (
    <p class="inline-error" role="alert">
      {errorText(props.error)}
    </p>
  );
}

export function StatusBadge(props: { status: BookingStatus | string }) {
  return <span class={`badge badge-${props.status.toLowerCase()}`}>{statusLabel(props.status)}</span>;
}

export function LiveIndicator(props: { error?: unknown }) {
  const state = useLinkState();
  if (props.error) {
    return (
      <span class="live live-off" title={errorText(props.error)} data-testid="live-indicator" data-state="unavailable">
        <span class="live-dot" aria-hidden="true" /> Live updates unavailable
      </span>
    );
  }
  if (state !== "connected") {
    return (
      <span class="live live-off" data-testid="live-indicator" data-state={state}>
        <span class="live-dot" aria-hidden="true" /> {state === "lost" ? "Offline" : "Connecting…"}
      </span>
    );
  }
  return (
    <span class="live" title="Updates appear as they happen" data-testid="live-indicator" data-state="connected">
      <span class="live-dot" aria-hidden="true" /> Live
    </span>
  );
}

export function Stat(props: { label: string; value: ComponentChildren; hint?: ComponentChildren; testId?: string }) {
  return (
    <div class="stat" data-testid={props.testId}>
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{props.value}</span>
      {props.hint && <span class="stat-hint">{props.hint}</span>}
    </div>
  );
}
