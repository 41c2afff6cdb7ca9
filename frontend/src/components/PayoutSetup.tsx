// Connecting a payout account (Stripe Connect onboarding; with the local ledger it is created at once): a facility
// and each person must have one before their share of a payment can be transferred to them.
import { useState } from "preact/hooks";
import { gql } from "../api/client";
import { ONBOARD_MY_PAYMENTS, ONBOARD_ORGANIZATION_PAYMENTS } from "../api/operations";
import { InlineError } from "./ui";

export function PayoutSetup(props: { organizationId?: number; connected: boolean; onDone: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (props.connected) {
    return (
      <p class="payout-setup" data-testid="payouts-connected">
        <span class="tag tag-ok">Payouts connected</span>
      </p>
    );
  }
  async function connect() {
    setBusy(true);
    setError(null);
    const here = location.href;
    try {
      const url =
        props.organizationId != null
          ? (await gql(ONBOARD_ORGANIZATION_PAYMENTS, { organizationId: props.organizationId, refreshUrl: here, returnUrl: here })).onboardOrganizationPayments
          : (await gql(ONBOARD_MY_PAYMENTS, { refreshUrl: here, returnUrl: here })).onboardMyPayments;
      // Stripe sends the person to its hosted onboarding and back; the ledger answers with this very page.
      if (new URL(url, here).origin !== location.origin) location.assign(url);
      else await props.onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="callout callout-quiet payout-setup" data-testid="payouts-missing">
      <p class="callout-text">
        {props.organizationId != null ? "Connect the facility's payout account" : "Connect your payout account"} so your share of each payment
        can be sent to you.
      </p>
      <button type="button" class="btn btn-primary" disabled={busy} onClick={connect}>
        {busy ? "Connecting…" : "Set up payouts"}
      </button>
      <InlineError error={error} />
    </div>
  );
}
