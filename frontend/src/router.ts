// Hash routes, so every view is a real link and the API only has to serve "/".
import { useEffect, useState } from "preact/hooks";

export interface Route {
  name: "facility" | "jobs" | "bookings" | "metrics" | "home";
  id: number | null;
}

export function parse(hash: string): Route {
  const [, name, id] = hash.replace(/^#\/?/, "#/").split("/");
  const known = ["facility", "jobs", "bookings", "metrics"];
  const n = Number(id);
  return { name: (known.includes(name) ? name : "home") as Route["name"], id: Number.isInteger(n) && n > 0 ? n : null };
}

export function navigate(hash: string): void {
  if (location.hash !== hash) location.hash = hash;
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
