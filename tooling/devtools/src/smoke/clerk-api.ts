/**
 * The few Clerk Backend API calls `pnpm smoke` makes, over plain `fetch` so a test can point them at a local
 * server (CLERK_API_URL). Shapes as @clerk/backend's endpoints send them (snake_case bodies, Bearer secret key).
 * A 429 is retried after its `Retry-After`, capped, a few times: development instances have low rate limits.
 */
import { randomBytes } from "node:crypto";

export const DEFAULT_CLERK_API_URL = "https://api.clerk.com/v1";

/** The marker in `private_metadata` that tells a smoke user from a real one, for the sweep. */
export const SMOKE_MARKER = "starterKitSmoke";

export type ClerkUser = {
  id: string;
  first_name: string | null;
  last_name: string | null;
  username?: string | null;
  created_at: number;
  private_metadata?: Record<string, unknown> | null;
  email_addresses?: { email_address: string }[];
};

export class ClerkApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail: string,
    /** The fields a 422 names (`meta.param_name`): a field turned off in the instance, or one it requires. */
    readonly params: string[] = [],
  ) {
    super(`Clerk ${method} ${path} answered ${status}${detail ? `: ${detail}` : ""}`);
  }
}

type ClerkErrors = {
  errors?: { long_message?: string; message?: string; code?: string; meta?: { param_name?: string } }[];
};

type ClerkApiOptions = {
  baseUrl: string;
  secretKey: string;
  /** Longest wait for one `Retry-After`; Clerk's windows are seconds, so more means something else is wrong. */
  maxRetryAfterMs?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about each 429 wait, so a slow run says why. */
  onRateLimited?: (waitMs: number) => void;
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Clerk's error bodies are `{ errors: [{ message, long_message, code, meta }] }`; the first one says enough. */
function errorOf(status: number, method: string, path: string, text: string): ClerkApiError {
  let errors: NonNullable<ClerkErrors["errors"]> = [];
  try {
    errors = (JSON.parse(text) as ClerkErrors).errors ?? [];
  } catch {
    // not JSON: the raw text is the detail
  }
  const first = errors[0];
  const detail = first
    ? [first.code, first.long_message ?? first.message].filter(Boolean).join(": ")
    : text.slice(0, 200);
  const params = errors.flatMap((error) => error.meta?.param_name ?? []);
  return new ClerkApiError(status, method, path, detail, params);
}

export function clerkApi(options: ClerkApiOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 4;
  const sleep = options.sleep ?? realSleep;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status === 429 && attempt < maxRetries) {
        const seconds = Number(response.headers.get("retry-after"));
        const waitMs = Math.min(
          Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
          maxRetryAfterMs,
        );
        options.onRateLimited?.(waitMs);
        await sleep(waitMs);
        continue;
      }
      if (!response.ok) throw errorOf(response.status, method, path, text);
      return (text ? JSON.parse(text) : null) as T;
    }
  }

  return {
    /** The instance's Frontend API URL, from its primary domain: proves which instance the secret key opens. */
    async frontendApiUrl(): Promise<string | undefined> {
      const answer = await request<{ data: { is_satellite: boolean; frontend_api_url: string }[] }>(
        "GET",
        "/domains",
      );
      return answer.data.find((domain) => !domain.is_satellite)?.frontend_api_url;
    },
    /**
     * Creates the user whatever the instance's settings allow: without first and last name when they are
     * turned off (Clerk refuses them, 422 naming the field), and with a random password when password is the
     * only way to sign in (`skip_password_requirement` is refused there).
     */
    async createUser(fields: { email: string; firstName: string; lastName: string; startedAt: number }) {
      const body: Record<string, unknown> = {
        email_address: [fields.email],
        first_name: fields.firstName,
        last_name: fields.lastName,
        skip_password_requirement: true,
        private_metadata: { [SMOKE_MARKER]: { startedAt: fields.startedAt } },
      };
      for (;;) {
        try {
          return await request<ClerkUser>("POST", "/users", body);
        } catch (error) {
          const refused = error instanceof ClerkApiError && error.status === 422 ? error.params : [];
          if (refused.some((param) => param === "first_name" || param === "last_name") && body.first_name) {
            delete body.first_name;
            delete body.last_name;
          } else if (
            refused.some((param) => /^(skip_)?password/.test(param)) &&
            body.skip_password_requirement
          ) {
            delete body.skip_password_requirement;
            body.password = `${randomBytes(18).toString("base64url")}-Sm0ke`;
          } else throw error;
        }
      }
    },
    /** `first_name` where the instance has names, else `username`, which the kit shows when there is no name. */
    renameUser(userId: string, fields: { first_name: string } | { username: string }) {
      return request<ClerkUser>("PATCH", `/users/${encodeURIComponent(userId)}`, fields);
    },
    /** True when deleted now, false when Clerk no longer had it (404). */
    async deleteUser(userId: string): Promise<boolean> {
      try {
        await request("DELETE", `/users/${encodeURIComponent(userId)}`);
        return true;
      } catch (error) {
        if (error instanceof ClerkApiError && error.status === 404) return false;
        throw error;
      }
    },
    /** One page of users whose address or name matches `query`, newest first. */
    listUsers(query: string, offset: number, limit: number) {
      const params = new URLSearchParams({
        query,
        order_by: "-created_at",
        limit: String(limit),
        offset: String(offset),
      });
      return request<ClerkUser[]>("GET", `/users?${params}`);
    },
    createSession(userId: string) {
      return request<{ id: string }>("POST", "/sessions", { user_id: userId });
    },
    /** The session token (with Clerk's Convex integration its `aud` is "convex"), or one from a JWT template. */
    async sessionToken(sessionId: string, template?: string): Promise<string> {
      const path = `/sessions/${encodeURIComponent(sessionId)}/tokens${template ? `/${encodeURIComponent(template)}` : ""}`;
      return (await request<{ jwt: string }>("POST", path)).jwt;
    },
  };
}

export type ClerkApi = ReturnType<typeof clerkApi>;
