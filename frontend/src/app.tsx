// The shell: session, live connection, navigation by role, and the view for the current route.
import { useEffect, useState } from "preact/hooks";
import { useQuery } from "./api/hooks";
import { connectLive, disconnectLive } from "./api/live";
import { VIEWER } from "./api/operations";
import { clearSession, loadSession, onSessionChange, type Session } from "./api/session";
import type { ViewerData } from "./api/types";
import { ConnectionBanner } from "./components/ConnectionBanner";
import { ErrorNotice, Loading } from "./components/ui";
import { navigate, useRoute, type Route } from "./router";
import { AdminView } from "./views/AdminView";
import { CustomerView } from "./views/CustomerView";
import { FacilityView } from "./views/FacilityView";
import { LaborView } from "./views/LaborView";
import { Logo, SignIn } from "./views/SignIn";

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession());
  useEffect(() => onSessionChange(setSession), []);
  useEffect(() => {
    if (session) connectLive(session.token);
    else disconnectLive();
  }, [session?.token]);
  if (!session) return <SignIn />;
  return <SignedIn key={session.token} session={session} />;
}

interface Tab {
  route: Route["name"];
  label: string;
  href: string;
}

function tabsFor(viewer: ViewerData["viewer"]): Tab[] {
  const roles = new Set(viewer.roles);
  const tabs: Tab[] = [];
  const facility = [...roles].some((r) => r.startsWith("facility_"));
  if (roles.has("admin")) tabs.push({ route: "metrics", label: "Metrics", href: "#/metrics" });
  if (facility) tabs.push({ route: "facility", label: "Facility", href: `#/facility/${viewer.organizationIds[0]}` });
  if (roles.has("labor")) tabs.push({ route: "jobs", label: "Jobs", href: "#/jobs" });
  if (roles.has("customer")) tabs.push({ route: "bookings", label: facility || roles.has("admin") ? "My vehicles" : "Bookings", href: "#/bookings" });
  return tabs;
}

function SignedIn(props: { session: Session }) {
  const viewer = useQuery<ViewerData>(VIEWER);
  const route = useRoute();
  const v = viewer.data?.viewer;
  const tabs = v ? tabsFor(v) : [];

  useEffect(() => {
    // Land on the first view the role has (the facility for an owner, offers for labor, …).
    if (v && route.name === "home" && tabs[0]) navigate(tabs[0].href);
  }, [v, route.name]);

  let body;
  if (viewer.error) body = <ErrorNotice error={viewer.error} what="Your account" onRetry={viewer.refetch} />;
  else if (!v || !v.user) body = <Loading rows={6} label="Loading your dashboard…" />;
  else body = <RouteView route={route} viewer={v} />;

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href={tabs[0]?.href ?? "#/"} aria-label="N-Zero Coordination, home">
            <Logo />
            <span class="brand-name">N-Zero</span>
          </a>
          <nav class="tabs" aria-label="Views">
            {tabs.map((t) => (
              <a key={t.route} href={t.href} class="tab" aria-current={route.name === t.route ? "page" : undefined}>
                {t.label}
              </a>
            ))}
          </nav>
          <div class="account">
            <span class="account-name" title={props.session.email}>
              {v?.user?.fullName ?? props.session.email}
            </span>
            <button type="button" class="btn btn-ghost btn-small" onClick={() => clearSession()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" class="main" tabIndex={-1}>
        {body}
      </main>
    </>
  );
}

function RouteView(props: { route: Route; viewer: ViewerData["viewer"] }) {
  const { route, viewer } = props;
  const roles = new Set(viewer.roles);
  const user = viewer.user!;
  const admin = roles.has("admin");
  switch (route.name) {
    case "facility": {
      const id = route.id ?? viewer.organizationIds[0];
      if (!id) return <ErrorNotice error={new Error("Your account isn't a member of any facility.")} />;
      return <FacilityView key={id} organizationId={id} />;
    }
    case "jobs":
      return <LaborView />;
    case "metrics":
      return admin ? <AdminView /> : <ErrorNotice error={new Error("Only platform operators can see the metrics.")} />;
    case "bookings":
      return <CustomerView key={route.id ?? 0} user={user} bookingId={route.id} />;
    default:
      return <Loading rows={4} />;
  }
}
