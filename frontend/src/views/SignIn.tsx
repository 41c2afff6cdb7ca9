// Sign-in with email and password; the demo accounts are one click away.
import { useState } from "preact/hooks";
import { gql } from "../api/client";
import { LOGIN } from "../api/operations";
import { saveSession, takeSignOutReason } from "../api/session";
import { signInError } from "../api/errors";
import { InlineError } from "../components/ui";

const DEMO = [
  { email: "owner@demo.test", who: "Facility owner", name: "Vince · Viva Las Vegas Autos" },
  { email: "customer@demo.test", who: "Customer", name: "Carla · 1987 Buick Grand National" },
  { email: "painter@demo.test", who: "Labor", name: "Rosa · expert painter" },
  { email: "admin@demo.test", who: "Operator", name: "Ada · platform admin" },
];

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice] = useState(takeSignOutReason());

  async function signIn(address: string, secret: string) {
    setBusy(true);
    setError(null);
    try {
      const data = await gql(LOGIN, { email: address, password: secret });
      saveSession({ token: data.login.token, expiresAt: data.login.expiresAt, email: address });
    } catch (e) {
      setError(signInError(e));
      setBusy(false);
    }
  }

  return (
    <main class="signin" id="main">
      <div class="signin-brand">
        <Logo />
        <h1>N-Zero Coordination</h1>
        <p>Capacity, people and contracts for auto-service facilities — live.</p>
      </div>
      <div class="signin-card">
        <h2>Sign in</h2>
        {notice && <p class="notice notice-muted">{notice}</p>}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void signIn(email.trim(), password);
          }}
        >
          <label class="field">
            <span>Email</span>
            <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Password</span>
            <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <InlineError error={error} />
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        <div class="demo">
          <p class="demo-title">Demo accounts (password demo-pass)</p>
          <ul class="demo-list">
            {DEMO.map((d) => (
              <li key={d.email}>
                <button
                  type="button"
                  class="demo-btn"
                  disabled={busy}
                  data-email={d.email}
                  onClick={() => {
                    setEmail(d.email);
                    setPassword("demo-pass");
                    void signIn(d.email, "demo-pass");
                  }}
                >
                  <span class="demo-who">{d.who}</span>
                  <span class="demo-name">{d.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </main>
  );
}

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="#134e4a" />
      <path d="M9 23V9l14 14V9" stroke="#5eead4" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
