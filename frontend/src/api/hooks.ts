// Data hooks: a query with loading/error state, and a subscription that triggers re-reads.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { gql, type Document } from "./client";
import type { ApiError } from "./errors";
import { linkState, onLinkState, onReconnect, subscribe, type LinkState } from "./live";

export interface QueryState<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  refetch: () => Promise<void>;
}

/** Runs `document` (null: not yet) with `variables`, re-run when they change. */
export function useQuery<T, V>(document: Document<T, V> | null, variables: V): QueryState<T> {
  const query = document;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState<boolean>(query !== null);
  const generation = useRef(0);
  // Re-run when the variables' value changes, not their identity (callers pass fresh object literals).
  const key = JSON.stringify(variables);
  const latest = useRef(variables);
  latest.current = variables;

  const refetch = useCallback(async () => {
    if (query === null) return;
    const mine = ++generation.current;
    setLoading(true);
    try {
      const result = await gql(query, latest.current);
      if (mine !== generation.current) return; // a newer read already answered
      setData(result);
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [query, key]);

  useEffect(() => {
    setData(null);
    void refetch();
  }, [refetch]);

  // Whatever happened while the connection was down, re-read it.
  useEffect(() => onReconnect(() => void refetch()), [refetch]);
  return { data, error, loading, refetch };
}

/**
 * Subscribes while mounted; each event calls onEvent (bursts are coalesced into one call per 150 ms,
 * since an event only says "this changed" and the handler re-reads).
 */
export function useLive<T, V>(query: Document<T, V> | null, variables: V, onEvent: (event: T) => void): ApiError | null {
  const [error, setError] = useState<ApiError | null>(null);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = JSON.stringify(variables);
  const latest = useRef(variables);
  latest.current = variables;

  useEffect(() => {
    if (query === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: T | null = null;
    const stop = subscribe(
      query,
      latest.current,
      (event) => {
        setError(null);
        last = event;
        clearTimeout(timer);
        timer = setTimeout(() => last && handler.current(last), 150);
      },
      setError,
    );
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [query, key]);
  return error;
}

export function useLinkState(): LinkState {
  const [state, setState] = useState<LinkState>(linkState());
  useEffect(() => onLinkState(setState), []);
  return state;
}
