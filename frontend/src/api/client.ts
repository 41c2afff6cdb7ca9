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
  throwFailure(body.data);
  return body.data;
}

/** A mutation's result-union member that implements `Error` (asked with `... on Error { code message }`). */
interface FailureMember {
  __typename: string;
  code: string;
  message: string;
  field?: string | null;
  unofferedServiceType?: string | null;
  excluded?: unknown[];
}

function isFailure(value: unknown): value is FailureMember {
  if (typeof value !== "object" || value === null) return false;
  const member = value as Record<string, unknown>;
  return typeof member.__typename === "string" && typeof member.code === "string" && typeof member.message === "string";
}

/** Expected failures come back as members of a result union: raised here like any other API error. */
function throwFailure(data: unknown): void {
  for (const value of Object.values(data as Record<string, unknown>)) {
    if (isFailure(value)) {
      const details = { serviceType: value.unofferedServiceType ?? undefined, reasons: value.excluded };
      throw new ApiError(value.code, value.message, value.field ?? undefined, undefined, details);
    }
  }
}

/** The success member of a result union (failures were raised by gql), narrowed for the compiler. */
export function succeeded<T extends { __typename?: string }, N extends string>(value: T, typename: N): Extract<T, { __typename?: N }> {
  if (value.__typename !== typename) throw new ApiError("BAD_RESPONSE", `expected ${typename}, got ${value.__typename}`);
  return value as Extract<T, { __typename?: N }>;
}

function hasNullRoot(data: unknown): boolean {
  return typeof data === "object" && data !== null && Object.values(data).some((v) => v === null);
}
