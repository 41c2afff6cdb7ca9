// Shown while the live connection is down; disappears once it is back (views re-read on reconnect).
import { useEffect, useState } from "preact/hooks";
import { useLinkState } from "../api/hooks";

export function ConnectionBanner() {
  const state = useLinkState();
  const [recovered, setRecovered] = useState(false);
  const [wasLost, setWasLost] = useState(false);

  useEffect(() => {
    if (state === "lost") {
      setWasLost(true);
      setRecovered(false);
    } else if (state === "connected" && wasLost) {
      setWasLost(false);
      setRecovered(true);
      const timer = setTimeout(() => setRecovered(false), 3000);
      return () => clearTimeout(timer);
    }
    return undefined;
  }, [state]);

  if (state === "lost") {
    return (
      <div class="banner banner-warn" role="alert" data-testid="connection-lost">
        <span class="spinner" aria-hidden="true" />
        <span>
          <strong>Connection lost.</strong> Reconnecting… what you see may be out of date.
        </span>
      </div>
    );
  }
  if (recovered) {
    return (
      <div class="banner banner-ok" role="status" data-testid="connection-restored">
        <span>
          <strong>Back online.</strong> Everything has been refreshed.
        </span>
      </div>
    );
  }
  return null;
}
