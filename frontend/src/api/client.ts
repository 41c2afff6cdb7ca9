// GraphQL over HTTP POST /graphql with the bearer token.
import type { TypedDocumentString } from "../gql/graphql";
import { ApiError, type GraphQLErrorPayload } from "./errors";
import { clearSession, loadSession } from "./session";

/** A document generated from schema.graphql: its answer and variables are typed by codegen, not by a cast here. */
export type Document<TResult, TVariables> = TypedDocumentString<TResult, TVariables>;

export async function gql<TResult, TVariables>(document: Document<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const query = document.toString();
  const session = loadSession();
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (session) headers.authorization = `Bearer ${session.token}`;
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError("NETWORK", "network error");
  }
  let body: { data?: TResult | null; errors?: GraphQLErrorPayload[] };
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
