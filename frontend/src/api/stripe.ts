// Stripe.js, loaded only when a payment needs a card (the API gives the publishable key with the intent), for the
// client-secret flow: mount Stripe's Payment Element, confirm the PaymentIntent in the browser; Stripe then tells
// the server by webhook, which marks the milestone paid. Only the few calls used here are typed.
const STRIPE_JS = "https://js.stripe.com/v3/";

export interface StripeElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}

export interface StripeElements {
  create(kind: "payment"): StripeElement;
}

export interface StripeClient {
  elements(options: { clientSecret: string }): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    redirect: "if_required";
    confirmParams?: { return_url?: string };
  }): Promise<{ error?: { message?: string }; paymentIntent?: { id: string; status: string } }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeClient;
  }
}

let loading: Promise<void> | null = null;

function loadScript(): Promise<void> {
  if (window.Stripe) return Promise.resolve();
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      loading = null;
      reject(new Error("Couldn't load the card form (Stripe). Check your connection and try again."));
    };
    document.head.appendChild(script);
  });
  return loading;
}

export async function stripeClient(publishableKey: string): Promise<StripeClient> {
  await loadScript();
  if (!window.Stripe) throw new Error("The card form (Stripe) didn't start. Please reload and try again.");
  return window.Stripe(publishableKey);
}
