/**
 * A stand-in for Clerk's Backend API on 127.0.0.1, answering the calls `pnpm smoke` makes with the shapes
 * Clerk documents: users as `UserJSON` (snake_case, ms timestamps), `{ errors: [...] }` bodies, 404 for an
 * unknown id, 429 with `Retry-After`, `{ data, total_count }` for domains, `{ object: "token", jwt }`.
 * Each user change is handed to `onUserEvent`, as Clerk hands it to the webhook.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeUser = {
  object: "user";
  id: string;
  first_name: string | null;
  last_name: string | null;
  created_at: number;
  updated_at: number;
  primary_email_address_id: string;
  email_addresses: {
    id: string;
    object: "email_address";
    email_address: string;
    verification: { status: "verified" };
  }[];
  private_metadata: Record<string, unknown>;
};

export type UserEvent = { type: "user.created" | "user.updated" | "user.deleted"; user: FakeUser };

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
  close(): Promise<void>;
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function startFakeClerk({ frontendApiHost }: { frontendApiHost: string }): Promise<FakeClerk> {
  const users = new Map<string, FakeUser>();
  const sessions = new Map<string, string>();
  const requests: string[] = [];
  const limits: { key: string; left: number; seconds: number }[] = [];
  const failures: { method: string; prefix: string; status: number }[] = [];
  const secretKey = `sk_test_${randomBytes(16).toString("hex")}`;
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  const error = (response: ServerResponse, status: number, code: string, message: string) =>
    send(response, status, {
      errors: [{ code, message, long_message: message }],
      clerk_trace_id: id("trace"),
    });

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
    if (resource === "users" && resourceId === undefined && method === "POST") {
      const now = Date.now();
      const emailId = id("idn");
      const user: FakeUser = {
        object: "user",
        id: id("user"),
        first_name: (json.first_name as string) ?? null,
        last_name: (json.last_name as string) ?? null,
        created_at: now,
        updated_at: now,
        primary_email_address_id: emailId,
        email_addresses: (json.email_address as string[]).map((address) => ({
          id: emailId,
          object: "email_address" as const,
          email_address: address,
          verification: { status: "verified" as const },
        })),
        private_metadata: (json.private_metadata as Record<string, unknown>) ?? {},
      };
      users.set(user.id, user);
      fake.onUserEvent({ type: "user.created", user });
      return send(response, 200, user);
    }
    if (resource === "users" && resourceId === undefined && method === "GET") {
      const query = url.searchParams.get("query") ?? "";
      const offset = Number(url.searchParams.get("offset") ?? 0);
      const limitCount = Number(url.searchParams.get("limit") ?? 10);
      const matching = [...users.values()]
        .filter((user) => user.email_addresses.some((e) => e.email_address.includes(query)))
        .sort((a, b) => b.created_at - a.created_at);
      return send(response, 200, matching.slice(offset, offset + limitCount));
    }
    if (resource === "users" && resourceId !== undefined) {
      const user = users.get(resourceId);
      if (!user) return error(response, 404, "resource_not_found", "Resource not found.");
      if (method === "PATCH") {
        if (typeof json.first_name === "string") user.first_name = json.first_name;
        user.updated_at = Math.max(Date.now(), user.updated_at + 1);
        fake.onUserEvent({ type: "user.updated", user });
        return send(response, 200, user);
      }
      if (method === "DELETE") {
        users.delete(resourceId);
        fake.onUserEvent({ type: "user.deleted", user });
        return send(response, 200, { object: "user", id: resourceId, deleted: true });
      }
    }
    if (resource === "sessions" && method === "POST" && resourceId === undefined) {
      const userId = json.user_id as string;
      if (!users.has(userId)) return error(response, 404, "resource_not_found", "Resource not found.");
      const sessionId = id("sess");
      sessions.set(sessionId, userId);
      return send(response, 200, { object: "session", id: sessionId, user_id: userId, status: "active" });
    }
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
