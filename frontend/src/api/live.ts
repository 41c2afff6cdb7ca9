// Subscriptions over WebSocket (graphql-transport-ws) with one shared connection per session.
// The connection state drives the "connection lost" banner; after a reconnect every live view re-reads
// its data, because events sent while we were away are gone (the server publishes changes, not state).
import { createClient, type Client } from "graphql-ws";
import { ApiError, type GraphQLErrorPayload } from "./errors";
import type { Document } from "./client";

export type LinkState = "offline" | "connecting" | "connected" | "lost";

type StateListener = (state: LinkState) => void;
const stateListeners = new Set<StateListener>();
const reconnectListeners = new Set<() => void>();
let client: Client | null = null;
let state: LinkState = "offline";
let everConnected = false;
let wasLost = false;

function setState(next: LinkState): void {
  state = next;
  stateListeners.forEach((l) => l(next));
}

export function liveUrl(): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/graphql`;
}

export function connectLive(token: string): void {
  disconnectLive();
  everConnected = false;
  wasLost = false;
  const current = createClient({
    url: liveUrl(),
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    keepAlive: 10_000, // a ping every 10 s notices a silently dead connection
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const wait = Math.min(5_000, 300 * 2 ** retries) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
    on: {
      connecting: () => setState(everConnected ? "lost" : "connecting"),
      connected: () => {
        const recovered = everConnected && wasLost;
        everConnected = true;
        wasLost = false;
        setState("connected");
        if (recovered) reconnectListeners.forEach((l) => l());
      },
      closed: () => {
        if (client !== current) return; // closed on purpose by disconnectLive
        if (everConnected) wasLost = true;
        setState(everConnected ? "lost" : "connecting");
      },
    },
  });
  client = current;
  setState("connecting");
}

export function disconnectLive(): void {
  const old = client;
  client = null;
  setState("offline");
  if (old) void old.dispose();
}

export function linkState(): LinkState {
  return state;
}

export function onLinkState(listener: StateListener): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/** Called after the connection came back from a loss: time to re-read what is shown. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

export function subscribe<T, V>(
  document: Document<T, V>,
  variables: V,
  onData: (data: T) => void,
  onError: (error: ApiError) => void,
): () => void {
  if (!client) return () => undefined;
  return client.subscribe<T>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) onError(ApiError.from(result.errors[0] as GraphQLErrorPayload));
        else if (result.data) onData(result.data);
      },
      error: (error) => {
        if (Array.isArray(error) && error.length) onError(ApiError.from(error[0] as GraphQLErrorPayload));
        // A closed socket is retried by the client and shown by the banner, not per view.
      },
      complete: () => undefined,
    },
  );
}
