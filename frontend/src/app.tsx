// The shell: session, live connection, navigation by role, and the view for the current route.
import { useEffect, useState } from "preact/hooks";
import { useQuery } from "./api/hooks";
import { connectLive, disconnectLive } from "./api/live";
import { VIEWER } from "./api/operations";
import { clearSession, loadSession, onSessionChange, type Session } from "./api/session";
import type { ViewerData } from "./api/types";
import { ConnectionBanner } from "./components/ConnectionBanner";
import { ErrorNotice, Loading } from "./components/ui";
import { mayOpen, tabsFor } from "./navigation";
import { navigate, resetRoute, useRoute, type Route } from "./router";
import { AdminView } from "./views/AdminView";
import { CustomerView } from "./views/CustomerView";
import { FacilityBooking } from "./views/FacilityBooking";
import { FacilityView } from "./views/FacilityView";
import { PlanningView } from "./views/PlanningView";
import { LaborView } from "./views/LaborView";
import { Logo, SignIn } from "./views/SignIn";

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession());
  useEffect(
    () =>
      onSessionChange((next) => {
        // Whoever signs in next starts from their own first view, not the last person's page.
        if (!next) resetRoute();
        setSession(next);
      }),
    [],
  );
  useEffect(() => {
    if (session) connectLive(session.token);
    else disconnectLive();
  }, [session?.token]);
  if (!session) return <SignIn />;
  return <SignedIn key={session.token} session={session} />;
}

function SignedIn(props: { session: Session }) {
  const viewer = useQuery(VIEWER, {});
  const route = useRoute();
  const v = viewer.data?.viewer;
  const tabs = v ? tabsFor(v) : [];

  const allowed = v ? mayOpen(route, v) : false;

  useEffect(() => {
    // Land on the first view the role has (the facility for an owner, offers for labor, …); a view the role
    // may not open is replaced by that one too.
    if (v && !allowed && tabs[0]) navigate(tabs[0].href, { replace: true });
  }, [v, route.name, route.id, route.page, route.sub, allowed]);

  let body;
  if (viewer.error) body = <ErrorNotice error={viewer.error} what="Your account" onRetry={viewer.refetch} />;
  else if (!v || !v.user || !allowed) body = <Loading rows={6} label="Loading your dashboard…" />;
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
              <a key={t.href} href={t.href} class="tab" aria-current={route.name === t.route && (route.page === "plan") === (t.page === "plan") ? "page" : undefined}>
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
      if (route.page === "plan") return <PlanningView key={id} organizationId={id} />;
      if (route.page === "booking" && route.sub) return <FacilityBooking key={route.sub} organizationId={id} bookingId={route.sub} userId={user.id} />;
      return <FacilityView key={id} organizationId={id} />;
    }
    case "jobs":
      return <LaborView key={route.id ?? 0} userId={user.id} bookingId={route.id} />;
    case "metrics":
      return admin ? <AdminView /> : <ErrorNotice error={new Error("Only platform operators can see the metrics.")} />;
    case "bookings":
      return <CustomerView key={route.id ?? 0} user={user} bookingId={route.id} />;
    default:
      return <Loading rows={4} />;
  }
}
