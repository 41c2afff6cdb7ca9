// urql in Node against a live server, as a frontend would use it. Prints one JSON line of what the client saw;
// tests/realtime/test_real_clients.py asserts on it. Usage: node urql_scenario.mjs <base-url> <email> <password> <organization-id>
import { Client, fetchExchange, gql, subscriptionExchange } from "@urql/core";
import { cacheExchange } from "@urql/exchange-graphcache";
import { persistedExchange } from "@urql/exchange-persisted";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

const [base, email, password, organizationId] = process.argv.slice(2);
const sent = []; // every HTTP request: method, whether it carried the query text, whether it carried a hash

function recordingFetch(input, init = {}) {
  const url = new URL(typeof input === "string" ? input : input.url);
  const body = init.body ? JSON.parse(init.body) : null;
  const extensions = body ? body.extensions : JSON.parse(url.searchParams.get("extensions") || "null");
  sent.push({
    method: init.method || "GET",
    hasQuery: Boolean(body ? body.query : url.searchParams.get("query")),
    hasHash: Boolean(extensions && extensions.persistedQuery),
  });
  return fetch(input, init);
}

const LOGIN = gql`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
    }
  }
`;
const ORGANIZATION = gql`
  query Organization($id: Int!) {
    organization(id: $id) {
      id
      name
      capabilities {
        id
        name
        quantity
      }
    }
  }
`;
const UPDATE = gql`
  mutation Update($id: Int!, $quantity: Int!) {
    updateCapability(id: $id, input: { quantity: $quantity }) {
      id
      quantity
    }
  }
`;
const PAGE = gql`
  query Page($first: Int!, $after: String) {
    organizations(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          name
        }
      }
    }
  }
`;
const VIEWER = gql`
  query WhoAmI {
    viewer {
      roles
      organizationIds
    }
  }
`;
const CAPACITY = gql`
  subscription Capacity($organizationId: Int!) {
    capacityChanged(organizationId: $organizationId) {
      eventId
      capabilityIds
      reason
    }
  }
`;

async function signIn() {
  const anonymous = new Client({ url: `${base}/graphql`, exchanges: [fetchExchange], fetch: recordingFetch });
  const result = await anonymous.mutation(LOGIN, { email, password }).toPromise();
  if (result.error) throw result.error;
  return result.data.login.token;
}

function clientFor(token) {
  const ws = createWsClient({
    url: `${base.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const client = new Client({
    url: `${base}/graphql`,
    fetch: recordingFetch,
    fetchOptions: { headers: { authorization: `Bearer ${token}` } },
    preferGetMethod: false,
    exchanges: [
      cacheExchange({}),
      persistedExchange({ preferGetForPersistedQueries: true }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return { client, ws };
}

async function normalizedCache(client) {
  const id = Number(organizationId);
  const first = await client.query(ORGANIZATION, { id }).toPromise();
  if (first.error) throw first.error;
  const capability = first.data.organization.capabilities[0];
  const quantity = capability.quantity === 3 ? 4 : 3;
  const requestsBefore = sent.length;
  const updated = await client.mutation(UPDATE, { id: capability.id, quantity }).toPromise();
  if (updated.error) throw updated.error;
  // The query is answered from the cache alone: the mutation's result updated the normalized entity.
  const cached = await client.query(ORGANIZATION, { id }, { requestPolicy: "cache-only" }).toPromise();
  const seen = cached.data.organization.capabilities.find((c) => c.id === capability.id);
  return {
    capabilityId: capability.id,
    wrote: quantity,
    cachedQuantity: seen.quantity,
    requestsForMutationAndCachedRead: sent.length - requestsBefore,
  };
}

async function pageByPage(client) {
  const names = [];
  let after = null;
  let totalCount = null;
  let pages = 0;
  for (;;) {
    const page = await client.query(PAGE, { first: 2, after }, { requestPolicy: "network-only" }).toPromise();
    if (page.error) throw page.error;
    const connection = page.data.organizations;
    totalCount = connection.totalCount;
    names.push(...connection.edges.map((edge) => edge.node.name));
    pages += 1;
    if (!connection.pageInfo.hasNextPage || pages > 50) break;
    after = connection.pageInfo.endCursor;
  }
  return { pages, totalCount, names };
}

async function persistedQuery(client) {
  // A fresh document: the first request carries only its hash (the server does not know it yet), the retry
  // carries the text; a second client asking the same document later needs only the hash, by GET.
  const before = sent.length;
  const first = await client.query(VIEWER, {}, { requestPolicy: "network-only" }).toPromise();
  const second = await client.query(VIEWER, {}, { requestPolicy: "network-only" }).toPromise();
  return {
    ok: !first.error && !second.error,
    roles: first.data && first.data.viewer.roles,
    requests: sent.slice(before),
    sameAnswer: JSON.stringify(first.data) === JSON.stringify(second.data),
  };
}

async function subscription(client, capabilityId) {
  const events = [];
  const { unsubscribe } = client
    .subscription(CAPACITY, { organizationId: Number(organizationId) })
    .subscribe((result) => {
      if (result.error) events.push({ error: result.error.message });
      else events.push(result.data.capacityChanged);
    });
  // No "subscribed" acknowledgement in graphql-transport-ws: change capacity until the first event arrives.
  for (let attempt = 0; attempt < 40 && events.length === 0; attempt += 1) {
    await client.mutation(UPDATE, { id: capabilityId, quantity: 2 + (attempt % 3) }).toPromise();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  unsubscribe();
  return { events };
}

const token = await signIn();
const { client, ws } = clientFor(token);
try {
  const cache = await normalizedCache(client);
  const pages = await pageByPage(client);
  const persisted = await persistedQuery(client);
  const live = await subscription(client, cache.capabilityId);
  console.log(JSON.stringify({ cache, pages, persisted, live }));
} finally {
  await ws.dispose();
}
