// Which views a signed-in person may open: one rule for the tabs offered and the routes rendered.
import type { ViewerData } from "./api/types";
import type { Route } from "./router";

export interface Tab {
  route: Route["name"];
  label: string;
  href: string;
}

type Viewer = ViewerData["viewer"];

export function tabsFor(viewer: Viewer): Tab[] {
  const roles = new Set(viewer.roles);
  const tabs: Tab[] = [];
  const facility = viewer.organizationIds.length > 0 && [...roles].some((r) => r.startsWith("facility_"));
  if (roles.has("admin")) tabs.push({ route: "metrics", label: "Metrics", href: "#/metrics" });
  if (facility) tabs.push({ route: "facility", label: "Facility", href: `#/facility/${encodeURIComponent(viewer.organizationIds[0])}` });
  if (roles.has("labor")) tabs.push({ route: "jobs", label: "Jobs", href: "#/jobs" });
  if (roles.has("customer")) {
    tabs.push({ route: "bookings", label: facility || roles.has("admin") ? "My vehicles" : "Bookings", href: "#/bookings" });
  }
  return tabs;
}

/** A route is open to the viewer when its view is one of their tabs (a facility: one they belong to, or any for admin). */
export function mayOpen(route: Route, viewer: Viewer): boolean {
  if (route.name === "facility" && route.id !== null) {
    return viewer.roles.includes("admin") || viewer.organizationIds.includes(route.id);
  }
  return tabsFor(viewer).some((t) => t.route === route.name);
}
