/**
 * A stand-in Convex deployment on 127.0.0.1 that the real `convex` CLI reaches in self-hosted mode
 * (CONVEX_SELF_HOSTED_URL + CONVEX_SELF_HOSTED_ADMIN_KEY). It answers only the calls the kit's scripts make,
 * as the CLI 1.49 makes them (read in node_modules/convex/dist/esm/cli and logged against this server):
 * - `GET /api/v1/get_canonical_urls` → `{ convexCloudUrl, convexSiteUrl }`: `convex dev` and `convex deploy`
 *   ask it first; dev writes the two URLs into `.env.local`, deploy hands them to `--cmd`.
 * - `POST /api/get_config_hashes`, the first request of every push: refused here (400 `{ code, message }`,
 *   which the CLI prints after ✖ and exits 1), as a real deployment refuses a push whose auth.config.ts reads
 *   an unset variable. No push ever succeeds: accepting one would mean bundling and the whole push protocol.
 * - `POST /api/update_environment_variables` `{ changes: [{ name, value }] }`: `convex env set`.
 * - `convex env list`: a system query over the sync WebSocket (`/api/<version>/sync`): Connect, Authenticate
 *   (Admin), ModifyQuerySet adding `_system/cli/queryEnvironmentVariables`; answered with one Transition.
 * - `POST /api/function` `{ path, args, format }` → `{ status: "success", value, logLines }`: `convex run`,
 *   which prints the value as JSON on stdout when stdout is not a terminal.
 * - `POST /api/run_test_function`: `convex run --inline-query`; answers `process.env.NAME` sources only.
 * - `GET /api/stream_function_logs`: `convex dev` long-polls it; left unanswered, as a quiet deployment does.
 * - `GET /instance_name` (no admin key): the deployment's name as text, under every URL that serves it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

export type StandIn = {
  url: string;
  siteUrl: string;
  adminKey: string;
  /** The deployment's environment variables, as `convex env set` leaves them. */
  env: Map<string, string>;
  /** What `convex run <path>` returns, by function path (`clerk/users:syncState`); a missing one is an error. */
  functions: Map<string, (args: Record<string, unknown>) => unknown>;
  /** `METHOD path` of each request, and `sync <udfPath>` for each query over the WebSocket. */
  requests: string[];
  /** The environment for a CLI that should talk to this deployment (and to no other). */
  cliEnv(): NodeJS.ProcessEnv;
  close(): Promise<void>;
};

/** What the stand-in answers to `GET /instance_name`, as a deployment names itself. */
export const INSTANCE_NAME = "standin-deployment-1";

/** The variable auth.config.ts reads: a real deployment refuses the push while it is unset. */
const AUTH_CONFIG_VARIABLE = "CLERK_JWT_ISSUER_DOMAIN";

/** Convex's `u64` on the wire: eight bytes, little-endian, base64. */
const u64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes.toString("base64");
};

export async function startStandIn(): Promise<StandIn> {
  const env = new Map<string, string>();
  const functions = new Map<string, (args: Record<string, unknown>) => unknown>();
  const requests: string[] = [];
  const adminKey = "standin|0123456789abcdef";

  const send = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

  function handle(request: IncomingMessage, text: string, response: ServerResponse) {
    const path = new URL(request.url ?? "/", standIn.url).pathname;
    requests.push(`${request.method} ${path}`);
    if (path === "/instance_name") return response.writeHead(200).end(INSTANCE_NAME);
    if (request.headers.authorization !== `Convex ${adminKey}`) {
      return send(response, 401, { code: "BadAdminKey", message: "The provided admin key was invalid." });
    }
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    // `convex dev` long-polls its functions' logs; an answer it cannot read sends it into retries with backoff.
    if (path === "/api/stream_function_logs") return;
    if (path === "/api/v1/get_canonical_urls") {
      return send(response, 200, { convexCloudUrl: standIn.url, convexSiteUrl: standIn.siteUrl });
    }
    if (path === "/api/get_config_hashes") {
      const message = env.has(AUTH_CONFIG_VARIABLE)
        ? "This stand-in deployment takes no pushes."
        : `Environment variable ${AUTH_CONFIG_VARIABLE} is used in auth config file but its value was not set.`;
      return send(response, 400, { code: "AuthConfigMissingEnvironmentVariable", message });
    }
    if (path === "/api/update_environment_variables") {
      for (const change of body.changes as { name: string; value: string | null }[]) {
        if (change.value === null) env.delete(change.name);
        else env.set(change.name, change.value);
      }
      return send(response, 200, {});
    }
    if (path === "/api/function") {
      const run = functions.get(String(body.path));
      if (run === undefined) {
        return send(response, 200, {
          status: "error",
          errorMessage: `Could not find function for '${String(body.path)}'`,
          logLines: [],
        });
      }
      const value = run(body.args as Record<string, unknown>);
      return send(response, 200, { status: "success", value, logLines: [] });
    }
    if (path === "/api/run_test_function") {
      const source = String((body.bundle as { source?: unknown })?.source);
      const name = /process\.env\.(\w+)/.exec(source)?.[1] ?? "";
      const value = name === "CONVEX_SITE_URL" ? standIn.siteUrl : (env.get(name) ?? null);
      return send(response, 200, { status: "success", value, logLines: [] });
    }
    return send(response, 404, {
      code: "NotFound",
      message: `The stand-in has no ${request.method} ${path}`,
    });
  }

  const server = createServer((request, response) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      text += chunk;
    });
    request.on("end", () => handle(request, text, response));
  });

  // The sync protocol, as far as one system query needs it: versions start at 0; Authenticate moves the
  // identity version on, each ModifyQuerySet the query-set version; a Transition must start where the client is.
  const sockets = new WebSocketServer({ server });
  sockets.on("connection", (socket) => {
    let identity = 0;
    let version = { querySet: 0, identity: 0, ts: u64(0) };
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        value?: string;
        newVersion?: number;
        modifications?: { type: string; queryId: number; udfPath?: string }[];
      };
      if (message.type === "Authenticate") {
        if (message.value !== adminKey) {
          socket.send(JSON.stringify({ type: "AuthError", error: "bad admin key", baseVersion: identity }));
          return;
        }
        identity += 1;
      }
      if (message.type !== "ModifyQuerySet") return;
      const added = (message.modifications ?? []).filter((change) => change.type === "Add");
      for (const query of added) requests.push(`sync ${query.udfPath}`);
      const listed = [...env].map(([name, value]) => ({ name, value }));
      const endVersion = { querySet: message.newVersion ?? 0, identity, ts: u64(1) };
      socket.send(
        JSON.stringify({
          type: "Transition",
          startVersion: version,
          endVersion,
          modifications: added.map((query) => ({
            type: "QueryUpdated",
            queryId: query.queryId,
            value: query.udfPath?.startsWith("_system/cli/queryEnvironmentVariables") ? listed : null,
            logLines: [],
          })),
        }),
      );
      version = endVersion;
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const standIn: StandIn = {
    url: `http://127.0.0.1:${port}`,
    // What a self-hosted backend reports: HTTP actions on the next port.
    siteUrl: `http://127.0.0.1:${port + 1}`,
    adminKey,
    env,
    functions,
    requests,
    cliEnv: () => ({
      ...process.env,
      CONVEX_SELF_HOSTED_URL: standIn.url,
      CONVEX_SELF_HOSTED_ADMIN_KEY: adminKey,
      // Another deployment named by the caller's environment would conflict with the self-hosted one.
      CONVEX_DEPLOYMENT: "",
      CONVEX_DEPLOY_KEY: "",
    }),
    close: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
