// Hash routes, so every view is a real link and the API only has to serve "/".
import { useEffect, useState } from "preact/hooks";

export interface Route {
  name: "facility" | "jobs" | "bookings" | "metrics" | "home";
  id: string | null; // a global id (opaque)
}

export function parse(hash: string): Route {
  const [, name, id] = hash.replace(/^#\/?/, "#/").split("/");
  const known = ["facility", "jobs", "bookings", "metrics"];
  let ident = "";
  try {
    ident = id ? decodeURIComponent(id) : ""; // global ids are base64: encoded in links, "/" included
  } catch {
    ident = "";
  }
  return { name: (known.includes(name) ? name : "home") as Route["name"], id: /^[A-Za-z0-9+/=_-]+$/.test(ident) ? ident : null };
}

export function navigate(hash: string, options: { replace?: boolean } = {}): void {
  if (location.hash === hash) return;
  if (!options.replace) {
    location.hash = hash;
    return;
  }
  // Replacing leaves no history entry to go "back" to (a page the viewer may not open).
  history.replaceState(null, "", hash);
  dispatchEvent(new HashChangeEvent("hashchange"));
}

/** Back to "/" without a history entry: the next person to sign in lands on their own first view. */
export function resetRoute(): void {
  history.replaceState(null, "", `${location.pathname}${location.search}`);
  dispatchEvent(new HashChangeEvent("hashchange"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parse(location.hash));
  useEffect(() => {
    const update = () => {
      setRoute(parse(location.hash));
      window.scrollTo({ top: 0 });
    };
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return route;
}
