// Hash routes, so every view is a real link and the API only has to serve "/".
import { useEffect, useState } from "preact/hooks";

export interface Route {
  name: "facility" | "jobs" | "bookings" | "metrics" | "home";
  id: number | null;
  /** A page inside a facility: its planning view or one of its bookings (#/facility/3/booking/12). */
  page: "plan" | "booking" | null;
  sub: number | null;
}

function positive(value: string | undefined): number | null {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : null;
}

export function parse(hash: string): Route {
  const [, name, id, page, sub] = hash.replace(/^#\/?/, "#/").split("/");
  const known = ["facility", "jobs", "bookings", "metrics"];
  const pages = ["plan", "booking"];
  const inside = name === "facility" && pages.includes(page) ? (page as Route["page"]) : null;
  return {
    name: (known.includes(name) ? name : "home") as Route["name"],
    id: positive(id),
    page: inside,
    sub: inside === "booking" ? positive(sub) : null,
  };
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
