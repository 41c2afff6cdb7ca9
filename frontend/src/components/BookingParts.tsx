// The pieces of one booking every party's page is made of: the moves the server offers the viewer now
// (ServiceBooking.nextActions, never a hard-coded list), the contract to read, payments per milestone and
// party, the people on the job, reviews and the history. Each page shows the parts its party needs.
import { useState } from "preact/hooks";
import { gql, succeeded, type Document } from "../api/client";
import {
  ACCEPT_QUOTE,
  CANCEL_BOOKING,
  PRICE_CUSTOM_QUOTE,
  SIGN_CONTRACT,
  START_PAYMENT,
  SUBMIT_REVIEW,
  UPDATE_BOOKING_STATUS,
} from "../api/operations";
import type { BookingAction, BookingDetail } from "../api/types";
import { BOARD_MOVES, dateTime, enumLabel, money, moveLabel, number } from "../lib/format";
import { CardPayment, type CardIntent } from "./CardPayment";
import { Empty, InlineError, Panel, StatusBadge } from "./ui";

type Party = "customer" | "facility" | "labor";

/** Runs one mutation at a time, then re-reads the booking; the error is shown next to the buttons. */
function useRunner(refetch: () => Promise<void>) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run<T, V>(kind: string, document: Document<T, V>, variables: V): Promise<T | null> {
    setBusy(kind);
    setError(null);
    try {
      const result = await gql(document, variables);
      await refetch();
      return result;
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(null);
    }
  }
  return { busy, error, run, setError };
}

/** The milestone the customer pays next: the first unpaid one (the server refuses any other). */
export function nextMilestone(b: BookingDetail) {
  return b.contract?.milestones.find((m) => m.status !== "PAID") ?? null;
}

/** Every move the server offers this viewer on this booking, as buttons (with a form where the move needs one). */
export function BookingActions(props: { booking: BookingDetail; party: Party; refetch: () => Promise<void> }) {
  const b = props.booking;
  const { busy, error, run } = useRunner(props.refetch);
  const [form, setForm] = useState<"cancel" | "dispute" | "price" | null>(null);
  const [reason, setReason] = useState("");
  const [price, setPrice] = useState("");
  const [materials, setMaterials] = useState("0");
  const [paid, setPaid] = useState<string | null>(null);
  const [card, setCard] = useState<CardIntent | null>(null);
  const actions = b.nextActions;
  const milestone = nextMilestone(b);
  const cardStep = card && (
    <CardPayment
      intent={card}
      isPaid={() => b.contract?.milestones.find((m) => m.name === card.milestone)?.status === "PAID"}
      refetch={props.refetch}
      onDone={() => {
        setCard(null);
        setPaid(`Paid ${money(card.amountCents)} (${card.milestone}).`);
      }}
    />
  );
  if (actions.length === 0) return cardStep || null;
  const declining = b.status === "QUOTE_READY" && props.party === "customer";

  async function pay() {
    if (!milestone) return;
    setPaid(null);
    const result = await run("pay", START_PAYMENT, { bookingId: b.id, milestone: milestone.name });
    const intent = result ? succeeded(result.startPayment, "PaymentIntent") : null;
    if (!intent) return;
    // The ledger charges at once. With Stripe the card is confirmed in the browser with the client secret and
    // the webhook marks the milestone paid; without a publishable key the page says what is pending.
    if (intent.status === "succeeded") setPaid(`Paid ${money(intent.amountCents)} (${intent.milestone}).`);
    else if (intent.publishableKey) {
      setCard({ clientSecret: intent.clientSecret, publishableKey: intent.publishableKey, amountCents: intent.amountCents, milestone: intent.milestone });
    } else setPaid(`Payment ${intent.paymentIntentId} is ${intent.status.replace(/_/g, " ")}.`);
  }

  function simple(action: BookingAction) {
    const status = BOARD_MOVES[action];
    if (!status) return null;
    return (
      <button key={action} type="button" class="btn btn-primary" disabled={busy !== null} onClick={() => run(action, UPDATE_BOOKING_STATUS, { bookingId: b.id, status })}>
        {busy === action ? "Saving…" : moveLabel(action, b.status)}
      </button>
    );
  }

  return (
    <div class="actions-box" data-testid="booking-actions">
      <div class="actions-row">
        {actions.includes("ACCEPT_QUOTE") && (
          <button type="button" class="btn btn-primary btn-large" disabled={busy !== null} onClick={() => run("accept", ACCEPT_QUOTE, { bookingId: b.id })}>
            {busy === "accept" ? "Reserving…" : "Accept quote"}
          </button>
        )}
        {actions.includes("SIGN_CONTRACT") && b.contract && (
          <button type="button" class="btn btn-primary" disabled={busy !== null} onClick={() => run("sign", SIGN_CONTRACT, { contractId: b.contract!.id })}>
            {busy === "sign" ? "Signing…" : "Sign contract"}
          </button>
        )}
        {actions.includes("PAY") && milestone && !card && (
          <button type="button" class="btn btn-primary" disabled={busy !== null} onClick={pay}>
            {busy === "pay" ? "Paying…" : `Pay ${milestone.name.toLowerCase()} · ${money(milestone.amountCents)}`}
          </button>
        )}
        {(["START_WORK", "REQUEST_REVIEW", "COMPLETE"] as BookingAction[]).filter((a) => actions.includes(a)).map(simple)}
        {actions.includes("PRICE_QUOTE") && (
          <button type="button" class="btn btn-primary" aria-expanded={form === "price"} onClick={() => setForm(form === "price" ? null : "price")}>
            Price this quote
          </button>
        )}
        {actions.includes("DISPUTE") && (
          <button type="button" class="btn btn-ghost" aria-expanded={form === "dispute"} onClick={() => setForm(form === "dispute" ? null : "dispute")}>
            Open a dispute
          </button>
        )}
        {actions.includes("CANCEL") && (
          <button type="button" class="btn btn-ghost" aria-expanded={form === "cancel"} onClick={() => setForm(form === "cancel" ? null : "cancel")}>
            {declining ? "Decline quote" : "Cancel booking"}
          </button>
        )}
      </div>
      {cardStep}
      {paid && (
        <p class="notice notice-muted" role="status" data-testid="payment-result">
          {paid}
        </p>
      )}
      {form === "price" && (
        <form
          class="form inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run("price", PRICE_CUSTOM_QUOTE, { bookingId: b.id, priceCents: toCents(price), materialsCents: toCents(materials) }).then(() => setForm(null));
          }}
        >
          <label class="field">
            <span>Price for the work (USD)</span>
            <input name="priceDollars" type="number" min="1" step="0.01" required value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Materials (USD)</span>
            <input name="materialsDollars" type="number" min="0" step="0.01" value={materials} onInput={(e) => setMaterials(e.currentTarget.value)} />
          </label>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={busy !== null}>
              {busy === "price" ? "Sending…" : "Send quote"}
            </button>
          </div>
        </form>
      )}
      {(form === "cancel" || form === "dispute") && (
        <form
          class="form inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const done = () => {
              setForm(null);
              setReason("");
            };
            if (form === "cancel") void run("cancel", CANCEL_BOOKING, { bookingId: b.id, reason: reason.trim() }).then(done);
            else void run("dispute", UPDATE_BOOKING_STATUS, { bookingId: b.id, status: "DISPUTED", reason: reason.trim() }).then(done);
          }}
        >
          <label class="field field-wide">
            <span>{form === "cancel" ? (declining ? "Why are you declining?" : "Why cancel?") : "What went wrong?"}</span>
            <textarea name="reason" rows={2} required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <div class="form-actions">
            <button type="submit" class="btn btn-danger" disabled={busy !== null || !reason.trim()}>
              {form === "cancel" ? (declining ? "Decline the quote" : "Cancel the booking") : "Open the dispute"}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setForm(null)}>
              Keep it
            </button>
          </div>
        </form>
      )}
      <InlineError error={error} />
    </div>
  );
}

function toCents(dollars: string): number {
  return Math.round(Number(dollars || "0") * 100);
}

/** The contract's terms in full, its signatures, and who still has to sign. */
export function ContractPanel(props: { booking: BookingDetail; timeZone: string; userId: number }) {
  const c = props.booking.contract;
  if (!c) return null;
  const mine = c.signatures.some((s) => s.userId === props.userId);
  return (
    <Panel id="contract" title={`Contract #${c.id}`} subtitle={<span data-testid="contract-status">{enumLabel(c.contractStatus)}</span>}>
      <p class="callout-text">
        {c.signatures.length === 0
          ? "No one has signed yet."
          : `Signed by ${c.signatures.map((s) => `${enumLabel(s.party).toLowerCase()} (${dateTime(s.signedAt, props.timeZone)})`).join(", ")}.`}{" "}
        It becomes active when the customer, the facility and every person on the job have signed.{" "}
        {mine && <span class="tag tag-ok">You signed</span>}
      </p>
      <details class="contract-terms" data-testid="contract-terms">
        <summary>Read the contract</summary>
        <dl class="facts">
          <div>
            <dt>Type</dt>
            <dd>{enumLabel(c.contractType)}</dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd>{money(c.totalContractValueCents)}</dd>
          </div>
          <div>
            <dt>Facility · labor · platform</dt>
            <dd>
              {money(c.facilityPaymentCents)} · {money(c.laborAmountCents)} · {money(c.platformFeeCents)}
            </dd>
          </div>
        </dl>
        <h3 class="terms-head">Scope of work</h3>
        <p class="terms">{c.scopeOfWork || "—"}</p>
        {c.deliverables.length > 0 && (
          <>
            <h3 class="terms-head">Deliverables</h3>
            <ul class="terms-list">
              {c.deliverables.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </>
        )}
        <h3 class="terms-head">Payment terms</h3>
        <p class="terms">{c.paymentTerms || "—"}</p>
        <p class="terms-hash">Document fingerprint {c.documentHash.slice(0, 16)}…</p>
      </details>
    </Panel>
  );
}

/** Milestones (what is due and paid) and, per milestone, what each party receives. */
export function PaymentsPanel(props: { booking: BookingDetail; timeZone: string; title?: string }) {
  const c = props.booking.contract;
  if (!c) return null;
  const rows = c.paymentTransfers;
  return (
    <Panel id="payments" title={props.title ?? "Payments"} subtitle="Per milestone; each payment is split between the parties">
      <table class="money-table" data-testid="milestones">
        <caption class="visually-hidden">Milestones</caption>
        <thead>
          <tr>
            <th scope="col">Milestone</th>
            <th scope="col">Share</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {c.milestones.map((m) => (
            <tr key={m.name} data-testid="milestone" data-milestone={m.name.toLowerCase()} data-status={m.status.toLowerCase()}>
              <th scope="row">{enumLabel(m.name)}</th>
              <td>{number(m.percentageBps / 100)}%</td>
              <td>{money(m.amountCents)}</td>
              <td>
                <span class={`tag ${m.status === "PAID" ? "tag-ok" : ""}`}>{enumLabel(m.status)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Paid out per party, scrolls sideways">
        <table class="money-table" data-testid="distributions">
          <caption class="table-caption">Paid out per party</caption>
          <thead>
            <tr>
              <th scope="col">Milestone</th>
              <th scope="col">To</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="distribution" data-recipient={r.recipientType} data-status={r.status}>
                <th scope="row">{enumLabel(r.milestone)}</th>
                <td>{r.recipientUser?.fullName ?? r.recipientOrganization?.name ?? enumLabel(r.recipientType)}</td>
                <td>{money(r.amountCents)}</td>
                <td>
                  {enumLabel(r.status)}
                  {r.processedAt ? ` · ${dateTime(r.processedAt, props.timeZone)}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </Panel>
  );
}

/** The people: offers with their status for the facility, the accepted crew for everyone else. */
export function PeoplePanel(props: { booking: BookingDetail; party: Party; userId: number }) {
  const b = props.booking;
  if (props.party === "facility" && b.jobOffers.nodes.length > 0) {
    return (
      <Panel id="people" title="People" subtitle="Job offers and their answers">
        <ul class="people" data-testid="offers">
          {b.jobOffers.nodes.map((o) => (
            <li key={o.id} data-testid="offer-row" data-status={o.status}>
              <span class="people-name">{o.user?.fullName ?? "Someone"}</span>
              <span class="people-meta">
                {enumLabel(o.role)} · {number(o.hours)} h · {money(o.amountCents)}
              </span>
              <span class={`badge badge-offer-${o.status.toLowerCase()}`}>{enumLabel(o.status)}</span>
            </li>
          ))}
        </ul>
      </Panel>
    );
  }
  const crew = b.crew.filter((m) => m.user?.id !== props.userId);
  return (
    <Panel id="people" title={props.party === "labor" ? "Co-workers" : "Who does the work"}>
      {crew.length === 0 ? (
        <Empty title={props.party === "labor" ? "No one else on this job yet" : "No one assigned yet"} icon="wrench" />
      ) : (
        <ul class="people" data-testid="crew">
          {crew.map((m) => (
            <li key={`${m.role}-${m.user?.id}`}>
              <span class="people-name">{m.user?.fullName ?? "Someone"}</span>
              <span class="people-meta">{enumLabel(m.role)}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

export function HistoryPanel(props: { booking: BookingDetail; timeZone: string }) {
  const h = props.booking.statusHistory.nodes;
  if (h.length === 0) return null;
  return (
    <Panel id="history" title="History">
      <ol class="history" data-testid="history">
        {[...h].reverse().map((e) => (
          <li key={e.id}>
            <StatusBadge status={e.toStatus} /> <span class="history-when">{dateTime(e.createdAt, props.timeZone)}</span>
            {e.changedBy && <span class="history-who"> · {e.changedBy.fullName}</span>}
            {e.reason && <span class="history-why"> · {e.reason}</span>}
          </li>
        ))}
      </ol>
    </Panel>
  );
}

interface Subject {
  key: string;
  label: string;
  type: "CUSTOMER" | "FACILITY" | "LABOR";
  userId: number | null;
}

/** After the work is done each party reviews the others, once each. */
export function ReviewsPanel(props: { booking: BookingDetail; party: Party; userId: number; refetch: () => Promise<void> }) {
  const b = props.booking;
  if (!["COMPLETED", "PAID"].includes(b.status)) return null;
  const subjects: Subject[] = [];
  if (props.party !== "customer" && b.customer) subjects.push({ key: "customer", label: b.customer.fullName, type: "CUSTOMER", userId: null });
  if (props.party !== "facility" && b.organization) subjects.push({ key: "facility", label: b.organization.name, type: "FACILITY", userId: null });
  for (const m of b.crew) {
    if (m.user && m.user.id !== props.userId) subjects.push({ key: `labor-${m.user.id}`, label: `${m.user.fullName} (${enumLabel(m.role).toLowerCase()})`, type: "LABOR", userId: m.user.id });
  }
  const mine = b.reviews.nodes.filter((r) => r.author?.id === props.userId);
  const done = (s: Subject) => mine.some((r) => r.subjectType === s.type && (s.type !== "LABOR" || r.subjectUser?.id === s.userId));
  return (
    <Panel id="reviews" title="Reviews" subtitle="Rate each party of this job, once">
      <ul class="reviews">
        {subjects.map((s) => (
          <ReviewRow key={s.key} subject={s} done={done(s)} bookingId={b.id} refetch={props.refetch} />
        ))}
      </ul>
    </Panel>
  );
}

function ReviewRow(props: { subject: Subject; done: boolean; bookingId: number; refetch: () => Promise<void> }) {
  const s = props.subject;
  const { busy, error, run } = useRunner(props.refetch);
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState("");
  if (props.done) {
    return (
      <li class="review-row" data-testid="review-done" data-subject={s.key}>
        <span class="people-name">{s.label}</span> <span class="tag tag-ok">Reviewed</span>
      </li>
    );
  }
  return (
    <li class="review-row" data-testid="review-form" data-subject={s.key}>
      <form
        class="review-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run("review", SUBMIT_REVIEW, { bookingId: props.bookingId, subjectType: s.type, subjectUserId: s.userId, score, comment });
        }}
      >
        <fieldset>
          <legend>{s.label}</legend>
          <div class="stars" role="radiogroup" aria-label={`Score for ${s.label}`}>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} class={`star ${n <= score ? "on" : ""}`}>
                <input type="radio" name={`score-${s.key}`} value={n} checked={score === n} onChange={() => setScore(n)} />
                <span aria-hidden="true">★</span>
                <span class="visually-hidden">{n} of 5</span>
              </label>
            ))}
          </div>
          <label class="field">
            <span class="visually-hidden">Comment for {s.label}</span>
            <input name="comment" type="text" placeholder="A few words (optional)" value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
          </label>
          <button type="submit" class="btn btn-small" disabled={busy !== null}>
            {busy ? "Sending…" : `Review ${s.label}`}
          </button>
        </fieldset>
      </form>
      <InlineError error={error} />
    </li>
  );
}
