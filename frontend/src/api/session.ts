// The signed-in session: a bearer token kept in sessionStorage (per tab, gone when the tab closes).

const KEY = "nzero.session";

export interface Session {
  token: string;
  expiresAt: string;
  email: string;
}

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let signOutReason: string | null = null;

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (!session.token || Date.parse(session.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  signOutReason = null;
  listeners.forEach((l) => l(session));
}

export function clearSession(reason: string | null = null): void {
  sessionStorage.removeItem(KEY);
  signOutReason = reason;
  listeners.forEach((l) => l(null));
}

/** Why the last sign-out happened (an expired token, say), shown once on the sign-in form. */
export function takeSignOutReason(): string | null {
  const reason = signOutReason;
  signOutReason = null;
  return reason;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
