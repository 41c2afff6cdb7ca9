// The card step of a Stripe payment: Stripe's Payment Element for the intent's client secret, confirmed here;
// the milestone turns paid when Stripe's webhook reaches the server, so the booking is re-read until it does.
import { useEffect, useRef, useState } from "preact/hooks";
import { stripeClient, type StripeClient, type StripeElement, type StripeElements } from "../api/stripe";
import { money } from "../lib/format";
import { InlineError } from "./ui";

export interface CardIntent {
  clientSecret: string;
  publishableKey: string;
  amountCents: number;
  milestone: string;
}

const RECHECKS = 30; // every 2 s for a minute: the webhook normally arrives within seconds

export function CardPayment(props: { intent: CardIntent; isPaid: () => boolean; refetch: () => Promise<void>; onDone: () => void }) {
  const target = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ client: StripeClient; elements: StripeElements; element: StripeElement } | null>(null);
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(props); // the interval below reads the booking as re-read, not as first rendered
  latest.current = props;

  useEffect(() => {
    let gone = false;
    void stripeClient(props.intent.publishableKey)
      .then((client) => {
        if (gone || !target.current) return;
        const elements = client.elements({ clientSecret: props.intent.clientSecret });
        const element = elements.create("payment");
        element.mount(target.current);
        stripe.current = { client, elements, element };
        setReady(true);
      })
      .catch(setError);
    return () => {
      gone = true;
      stripe.current?.element.destroy();
    };
  }, [props.intent.clientSecret]);

  useEffect(() => {
    if (!waiting) return;
    let tries = 0;
    const timer = setInterval(() => {
      tries += 1;
      if (latest.current.isPaid() || tries > RECHECKS) {
        clearInterval(timer);
        if (latest.current.isPaid()) latest.current.onDone();
        return;
      }
      void latest.current.refetch();
    }, 2_000);
    return () => clearInterval(timer);
  }, [waiting]);

  async function confirm() {
    if (!stripe.current) return;
    setBusy(true);
    setError(null);
    try {
      const result = await stripe.current.client.confirmPayment({
        elements: stripe.current.elements,
        redirect: "if_required",
        confirmParams: { return_url: location.href },
      });
      if (result.error) setError(new Error(result.error.message ?? "The card was not accepted."));
      else {
        setWaiting(true);
        await props.refetch();
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="inline-form card-payment" data-testid="card-payment">
      <p class="callout-title">
        Pay {props.intent.milestone} · {money(props.intent.amountCents)}
      </p>
      <div ref={target} class="card-element" data-testid="card-element" />
      {waiting ? (
        <p class="notice notice-muted" role="status" data-testid="card-waiting">
          Card accepted; waiting for the payment to be confirmed…
        </p>
      ) : (
        <div class="form-actions">
          <button type="button" class="btn btn-primary" disabled={!ready || busy} onClick={confirm}>
            {busy ? "Confirming…" : "Confirm payment"}
          </button>
        </div>
      )}
      <InlineError error={error} />
    </div>
  );
}
