// GraphQL over HTTP POST /graphql with the bearer token.
import { ApiError, type GraphQLErrorPayload } from "./errors";
import { clearSession, loadSession } from "./session";

export type Variables = Record<string, unknown>;

export async function gql<T>(query: string, variables: Variables = {}): Promise<T> {
  const session = loadSession();
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (session) headers.authorization = `Bearer ${session.token}`;
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError("NETWORK", "network error");
  }
  let body: { data?: T | null; errors?: GraphQLErrorPayload[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_RESPONSE", `HTTP ${response.status}`);
  }
  if (body.errors?.length) {
    const error = ApiError.from(body.errors[0]);
    if (error.code === "UNAUTHENTICATED" && session) clearSession(error.message);
    // A partial answer (a nested field refused) is still useful; a missing root is not.
    if (body.data == null || hasNullRoot(body.data)) throw error;
    console.warn("GraphQL partial result:", body.errors);
  }
  if (body.data == null) throw new ApiError("BAD_RESPONSE", "no data");
  return body.data;
}

function hasNullRoot(data: unknown): boolean {
  return typeof data === "object" && data !== null && Object.values(data).some((v) => v === null);
}
