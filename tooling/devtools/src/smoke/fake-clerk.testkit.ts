/**
 * A stand-in for Clerk's Backend API on 127.0.0.1, answering the calls `pnpm smoke` makes with only what Clerk's
 * Backend API specification allows (github.com/clerk/openapi-specs, bapi/2026-05-12.yml; the facts beside each
 * route). Users are `UserJSON` from the fixtures, errors `{ errors: [{ message, long_message, code, meta }] }`,
 * and each user change is handed to `onUserEvent`, as Clerk hands it to the webhook.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DeletedObjectJSON } from "@clerk/backend";
import { fakeClerkUser, type UserPayload } from "@repo/backend/fixtures";

export type FakeUser = UserPayload;

export type UserEvent = { type: "user.created" | "user.updated" | "user.deleted"; user: FakeUser };

/** The instance's settings that decide what `POST /v1/users` and `PATCH /v1/users/{id}` accept. */
export type InstanceSettings = {
  /** A production instance (sk_live_ key): `POST /v1/sessions` is not available there. */
  production?: boolean;
  /** First and last name turned off: Clerk refuses `first_name`/`last_name` as unknown parameters. */
  namesOff?: boolean;
  usernamesOff?: boolean;
  /** Password is the only way to sign in: `skip_password_requirement` cannot be used. */
  passwordOnly?: boolean;
};

export type FakeClerk = {
  url: string;
  secretKey: string;
  frontendApiUrl: string;
  users: Map<string, FakeUser>;
  requests: string[];
  /** Answer the next `count` requests to `method path` (path without the query) with 429 + Retry-After. */
  rateLimit(method: string, path: string, count: number, retryAfterSeconds: number): void;
  /** Answer every request to `method path-prefix` with this status. */
  failWith(method: string, pathPrefix: string, status: number): void;
  onUserEvent: (event: UserEvent) => void;
  /** Answer `POST /users` with this user instead of the one created (a proxy's or a bug's answer). */
  createAnswer: FakeUser | undefined;
  close(): Promise<void>;
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The parameters `POST /v1/users` takes (its body has `additionalProperties: false`), those smoke may send. */
const CREATE_PARAMS = new Set([
  "email_address",
  "first_name",
  "last_name",
  "username",
  "password",
  "skip_password_requirement",
  "private_metadata",
]);

export async function startFakeClerk({
  frontendApiHost,
  ...settings
}: { frontendApiHost: string } & InstanceSettings): Promise<FakeClerk> {
  const users = new Map<string, FakeUser>();
  const sessions = new Map<string, string>();
  const requests: string[] = [];
  const limits: { key: string; left: number; seconds: number }[] = [];
  const failures: { method: string; prefix: string; status: number }[] = [];
  const secretKey = `sk_${settings.production ? "live" : "test"}_${randomBytes(16).toString("hex")}`;
  const frontendApiUrl = `https://${frontendApiHost}`;

  const fake: FakeClerk = {
    url: "",
    secretKey,
    frontendApiUrl,
    users,
    requests,
    rateLimit: (method, path, count, seconds) =>
      limits.push({ key: `${method} ${path}`, left: count, seconds }),
    failWith: (method, prefix, status) => failures.push({ method, prefix, status }),
    onUserEvent: () => {},
    createAnswer: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  const error = (response: ServerResponse, status: number, code: string, message: string, param?: string) =>
    send(response, status, {
      errors: [{ code, message, long_message: message, ...(param && { meta: { param_name: param } }) }],
      clerk_trace_id: id("trace"),
    });
  // Clerk's answer for a field the instance has turned off: 422 `form_param_unknown` naming it (as Clerk
  // answers, e.g. clerk-community/clerk-sdk-flutter#96; the specification lists 422 for these endpoints).
  const unknownParam = (response: ServerResponse, param: string) =>
    error(response, 422, "form_param_unknown", `${param} is not a valid parameter for this request.`, param);
  /** The first field of `json` this instance refuses, if any. */
  const refusedField = (json: Record<string, unknown>, allowed: Set<string>) =>
    Object.keys(json).find(
      (key) =>
        !allowed.has(key) ||
        (settings.namesOff && (key === "first_name" || key === "last_name")) ||
        (settings.usernamesOff && key === "username"),
    );

  function handle(request: IncomingMessage, body: string, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const method = request.method ?? "GET";
    const path = url.pathname.replace(/^\/v1/, "");
    requests.push(`${method} ${path}`);
    if (request.headers.authorization !== `Bearer ${secretKey}`) {
      return error(response, 401, "authentication_invalid", "The provided secret key is invalid.");
    }
    const limit = limits.find((l) => l.key === `${method} ${path}` && l.left > 0);
    if (limit) {
      limit.left--;
      const errors = [
        { code: "too_many_requests", message: "Too many requests.", long_message: "Too many requests." },
      ];
      return send(response, 429, { errors }, { "retry-after": String(limit.seconds) });
    }
    const failure = failures.find((f) => f.method === method && path.startsWith(f.prefix));
    if (failure) return error(response, failure.status, "internal_clerk_error", "Something went wrong.");
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const [, resource, resourceId, sub, template] = path.split("/");

    // GET /v1/domains: `{ data: Domain[], total_count }`, the primary domain and any satellites.
    if (method === "GET" && resource === "domains") {
      const domain = {
        object: "domain",
        id: id("dmn"),
        name: frontendApiHost,
        is_satellite: false,
        frontend_api_url: frontendApiUrl,
      };
      return send(response, 200, { data: [domain], total_count: 1 });
    }
    // POST /v1/users: returns the User; "you cannot use this flag [skip_password_requirement] if password is
    // the only way for a user to sign into your instance" (the code of that 422 is not specified).
    if (resource === "users" && resourceId === undefined && method === "POST") {
      const refused = refusedField(json, CREATE_PARAMS);
      if (refused !== undefined) return unknownParam(response, refused);
      if (settings.passwordOnly && json.password === undefined) {
        return error(response, 422, "form_param_missing", "password must be included.", "password");
      }
      const emails = json.email_address as string[];
      const user: FakeUser = {
        ...fakeClerkUser({
          id: id("user"),
          emails,
          firstName: (json.first_name as string | undefined) ?? null,
          lastName: (json.last_name as string | undefined) ?? null,
          username: (json.username as string | undefined) ?? null,
          createdAt: Date.now(),
        }),
        private_metadata: (json.private_metadata as Record<string, unknown>) ?? {},
      };
      users.set(user.id, user);
      fake.onUserEvent({ type: "user.created", user });
      return send(response, 200, fake.createAnswer ?? user);
    }
    // GET /v1/users: a JSON array, newest first by default; `limit` 1..500 (default 10), `offset` >= 0;
    // `query` matches email addresses, phone numbers, usernames, ids, first and last names, partially.
    if (resource === "users" && resourceId === undefined && method === "GET") {
      const query = (url.searchParams.get("query") ?? "").toLowerCase();
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limitCount = Number(url.searchParams.get("limit") ?? 10);
      if (!(limitCount >= 1 && limitCount <= 500 && offset >= 0)) {
        return error(response, 422, "form_param_value_invalid", "limit must be 1..500, offset 0 or more.");
      }
      const ascending = url.searchParams.get("order_by") === "+created_at";
      const matching = [...users.values()]
        .filter((user) =>
          [
            user.id,
            user.first_name,
            user.last_name,
            user.username,
            ...user.email_addresses.map((e) => e.email_address),
          ].some((value) => value?.toLowerCase().includes(query)),
        )
        .sort((a, b) => (ascending ? a.created_at - b.created_at : b.created_at - a.created_at));
      return send(response, 200, matching.slice(offset, offset + limitCount));
    }
    if (resource === "users" && resourceId !== undefined) {
      const user = users.get(resourceId);
      if (!user) return error(response, 404, "resource_not_found", "Resource not found.");
      // PATCH /v1/users/{id}: the fields turned off on the instance are refused, as on creation.
      if (method === "PATCH") {
        const refused = refusedField(json, new Set(["first_name", "last_name", "username"]));
        if (refused !== undefined) return unknownParam(response, refused);
        if (typeof json.first_name === "string") user.first_name = json.first_name;
        if (typeof json.username === "string") user.username = json.username;
        user.updated_at = Math.max(Date.now(), user.updated_at + 1);
        fake.onUserEvent({ type: "user.updated", user });
        return send(response, 200, user);
      }
      if (method === "DELETE") {
        users.delete(resourceId);
        fake.onUserEvent({ type: "user.deleted", user });
        const deleted: DeletedObjectJSON = { object: "user", id: resourceId, deleted: true };
        return send(response, 200, deleted);
      }
    }
    // POST /v1/sessions: "intended only for use in testing, and is not available for production instances".
    // The specification does not say what a production instance answers; smoke must never ask there.
    if (resource === "sessions" && method === "POST" && resourceId === undefined) {
      if (settings.production) {
        return error(
          response,
          400,
          "not_available",
          "Creating sessions is not available for production instances.",
        );
      }
      const userId = json.user_id as string;
      if (!users.has(userId)) return error(response, 404, "resource_not_found", "Resource not found.");
      const sessionId = id("sess");
      sessions.set(sessionId, userId);
      return send(response, 200, { object: "session", id: sessionId, user_id: userId, status: "active" });
    }
    // POST /v1/sessions/{id}/tokens[/{template}]: `{ object: "token", jwt }`.
    if (resource === "sessions" && method === "POST" && sub === "tokens" && resourceId !== undefined) {
      const userId = sessions.get(resourceId);
      if (!userId) return error(response, 404, "resource_not_found", "Resource not found.");
      const iat = Math.floor(Date.now() / 1000);
      // With the Convex integration the session token itself carries aud "convex"; a template may add more.
      const claims = {
        iss: frontendApiUrl,
        sub: userId,
        sid: resourceId,
        aud: "convex",
        iat,
        exp: iat + 60,
        ...(template ? { tpl: template } : {}),
      };
      const jwt = `${base64url({ alg: "RS256", typ: "JWT" })}.${base64url(claims)}.${randomBytes(32).toString("base64url")}`;
      return send(response, 200, { object: "token", jwt });
    }
    return error(response, 404, "resource_not_found", `No route for ${method} ${path}.`);
  }

  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => handle(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
