// @vitest-environment node

import { withDeploymentUrls } from "@repo/backend/scripts/convex-cli.ts";
import { parseEnvFile } from "@repo/backend/scripts/env-file.ts";
import { describe, expect, it } from "vitest";
import {
  type CheckResult,
  type DoctorInputs,
  doctorWebhookUrl,
  isLocalDeployment,
  runChecks,
} from "./checks.ts";
import { formatReport } from "./report.ts";

const devHost = "happy-otter-12.clerk.accounts.dev";
const key = (kind: "test" | "live", host: string) =>
  `pk_${kind}_${Buffer.from(`${host}$`).toString("base64")}`;

/** What `convex env list --include-values` prints on stdout for a deployment that is set up. */
const recordedEnvList = `CLERK_JWT_ISSUER_DOMAIN=https://${devHost}
CLERK_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
`;

/** A machine on which everything is set up correctly; each test breaks one thing. */
function healthy(overrides: Partial<DoctorInputs> = {}): DoctorInputs {
  return {
    target: "development",
    nodeVersion: "24.22.3",
    nodeRequired: ">=22.12",
    pnpmVersion: "12.4.2",
    packageManager: "pnpm@12.4.2",
    webEnv: {
      VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
      VITE_CLERK_PUBLISHABLE_KEY: key("test", devHost),
    },
    backendEnv: {
      CONVEX_DEPLOYMENT: "dev:happy-animal-123",
      CONVEX_URL: "https://happy-animal-123.convex.cloud",
    },
    deploymentEnv: { ok: true, vars: parseEnvFile(recordedEnvList) },
    ...overrides,
  };
}

function find(results: CheckResult[], label: string): CheckResult {
  const result = results.find((check) => check.label === label);
  if (result === undefined) throw new Error(`no check labelled ${label}: ${results.map((r) => r.label)}`);
  return result;
}

const problems = (inputs: DoctorInputs) => runChecks(inputs).filter((check) => check.status === "problem");

describe("runChecks on a healthy setup", () => {
  it("finds no problem and skips nothing", () => {
    const results = runChecks(healthy());
    expect(results.filter((check) => check.status !== "ok")).toEqual([]);
  });

  it("cross-checks the issuer against the key's Frontend API host", () => {
    expect(find(runChecks(healthy()), "issuer ↔ publishable key")).toMatchObject({
      status: "ok",
      detail: `both name ${devHost}`,
    });
  });

  it("derives the webhook URL from VITE_CONVEX_URL", () => {
    expect(doctorWebhookUrl(healthy())).toBe("https://happy-animal-123.convex.site/clerk-users-webhook");
  });

  it("accepts a custom domain and says where its webhook URL is when the CLI wrote none", () => {
    const inputs = healthy({
      webEnv: {
        VITE_CONVEX_URL: "https://api.example.com",
        VITE_CLERK_PUBLISHABLE_KEY: key("test", devHost),
      },
      backendEnv: { CONVEX_DEPLOYMENT: "dev:happy-animal-123", CONVEX_URL: "https://api.example.com" },
    });
    expect(find(runChecks(inputs), "VITE_CONVEX_URL").status).toBe("ok");
    expect(doctorWebhookUrl(inputs)).toBeUndefined();
  });

  it("after setup:convex, finds the webhook's host where the CLI wrote it (VITE_CONVEX_SITE_URL), custom domain or not", () => {
    const backendEnv = withDeploymentUrls({
      CONVEX_DEPLOYMENT: "dev:happy-animal-123",
      VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
      VITE_CONVEX_SITE_URL: "https://hooks.example.com",
    });
    const webEnv = { ...healthy().webEnv, VITE_CONVEX_URL: "https://api.example.com" };
    const inputs = healthy({ backendEnv, webEnv });
    const text = formatReport(runChecks(inputs), {
      webhookUrl: doctorWebhookUrl(inputs),
      local: false,
      target: "development",
    }).text;
    expect(text).toContain("URL:    https://hooks.example.com/clerk-users-webhook");
    expect(text).not.toContain("pnpm setup:convex` writes it as VITE_CONVEX_SITE_URL");
  });

  it("prefers the site URL the Convex CLI wrote, for deployments whose host cannot be derived", () => {
    const inputs = healthy({
      webEnv: {
        VITE_CONVEX_URL: "https://convex.example.com",
        VITE_CLERK_PUBLISHABLE_KEY: key("test", devHost),
      },
      backendEnv: {
        CONVEX_DEPLOYMENT: "dev:self",
        CONVEX_URL: "https://convex.example.com",
        CONVEX_SITE_URL: "https://site.example.com",
      },
    });
    expect(doctorWebhookUrl(inputs)).toBe("https://site.example.com/clerk-users-webhook");
    expect(find(runChecks(inputs), "VITE_CONVEX_URL").status).toBe("ok");
  });
});

describe("runChecks finds each problem and names the fix", () => {
  it("a Node older than engines.node", () => {
    expect(problems(healthy({ nodeVersion: "20.20.0" }))).toEqual([
      expect.objectContaining({ label: "Node", fix: expect.stringContaining(".nvmrc") }),
    ]);
  });

  it("a pnpm other than the pinned one", () => {
    expect(problems(healthy({ pnpmVersion: "9.15.0" }))).toEqual([
      expect.objectContaining({ label: "pnpm", detail: "9.15.0, but package.json pins 12.4.2" }),
    ]);
  });

  it("a missing apps/web/.env.local, and the variables it should hold", () => {
    const labels = problems(healthy({ webEnv: undefined })).map((check) => check.label);
    expect(labels).toEqual(["apps/web/.env.local", "VITE_CONVEX_URL", "VITE_CLERK_PUBLISHABLE_KEY"]);
  });

  it("a VITE_CONVEX_URL that is not a deployment URL", () => {
    const webEnv = { VITE_CONVEX_URL: "happy-animal-123", VITE_CLERK_PUBLISHABLE_KEY: key("test", devHost) };
    expect(problems(healthy({ webEnv })).map((check) => check.label)).toContain("VITE_CONVEX_URL");
  });

  it("a secret key pasted as the publishable key", () => {
    const webEnv = {
      VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
      VITE_CLERK_PUBLISHABLE_KEY: "sk_test_fake_secret_key",
    };
    expect(find(runChecks(healthy({ webEnv })), "VITE_CLERK_PUBLISHABLE_KEY")).toMatchObject({
      status: "problem",
      detail: expect.stringContaining("secret key"),
    });
  });

  it("no deployment configured, and then nothing to ask the deployment", () => {
    const results = runChecks(healthy({ backendEnv: {}, deploymentEnv: undefined }));
    expect(find(results, "Convex deployment")).toMatchObject({
      status: "problem",
      fix: "`pnpm setup:convex`",
    });
    expect(find(results, "CLERK_WEBHOOK_SECRET").status).toBe("skipped");
  });

  it("a web app pointed at another deployment than the one `convex dev` pushes to", () => {
    const backendEnv = {
      CONVEX_DEPLOYMENT: "dev:quiet-fox-7",
      CONVEX_URL: "https://quiet-fox-7.convex.cloud",
    };
    expect(find(runChecks(healthy({ backendEnv })), "web app → deployment")).toMatchObject({
      status: "problem",
      fix: expect.stringContaining("VITE_CONVEX_URL=https://quiet-fox-7.convex.cloud"),
    });
  });

  it("a custom-domain VITE_CONVEX_URL that serves the CLI's deployment is configured, and the line names both", () => {
    const webEnv = { ...healthy().webEnv, VITE_CONVEX_URL: "https://api.example.com" };
    const instanceNames = { web: "happy-animal-123", backend: "happy-animal-123" };
    const check = find(runChecks(healthy({ webEnv, instanceNames })), "web app → deployment");
    expect(check.status).toBe("ok");
    expect(check.detail).toContain("https://api.example.com serves happy-animal-123");
  });

  it("a custom domain that serves another deployment is a problem naming both; one that cannot be asked is not a pass", () => {
    const webEnv = { ...healthy().webEnv, VITE_CONVEX_URL: "https://api.example.com" };
    const other = { web: "quiet-fox-7", backend: "happy-animal-123" };
    expect(find(runChecks(healthy({ webEnv, instanceNames: other })), "web app → deployment")).toMatchObject({
      status: "problem",
      detail: expect.stringContaining("(quiet-fox-7)"),
    });
    const unasked = { web: undefined, backend: undefined };
    expect(find(runChecks(healthy({ webEnv, instanceNames: unasked })), "web app → deployment").status).toBe(
      "skipped",
    );
  });

  it("CLERK_WEBHOOK_SECRET unset on the deployment", () => {
    const deploymentEnv = {
      ok: true as const,
      vars: parseEnvFile(`CLERK_JWT_ISSUER_DOMAIN=https://${devHost}\n`),
    };
    expect(problems(healthy({ deploymentEnv }))).toEqual([
      expect.objectContaining({
        label: "CLERK_WEBHOOK_SECRET",
        fix: expect.stringContaining("pnpm convex env set CLERK_WEBHOOK_SECRET"),
      }),
    ]);
  });

  it("a webhook secret that is not a whsec_ signing secret", () => {
    const vars = parseEnvFile(`${recordedEnvList}CLERK_WEBHOOK_SECRET=sk_test_abc\n`);
    expect(
      find(runChecks(healthy({ deploymentEnv: { ok: true, vars } })), "CLERK_WEBHOOK_SECRET"),
    ).toMatchObject({
      status: "problem",
      detail: expect.stringContaining("expected whsec_"),
    });
  });

  // The HTTP action refuses such a secret with a 500 (parseWebhookSecret); the doctor must say so first.
  it("a whsec_ secret whose key is shorter than 24 bytes", () => {
    const short = `whsec_${Buffer.from("k".repeat(16)).toString("base64")}`;
    const vars = parseEnvFile(`${recordedEnvList}CLERK_WEBHOOK_SECRET=${short}\n`);
    expect(
      find(runChecks(healthy({ deploymentEnv: { ok: true, vars } })), "CLERK_WEBHOOK_SECRET"),
    ).toMatchObject({ status: "problem", detail: expect.stringContaining("16 bytes") });
  });

  it("a production secret key with a development publishable key", () => {
    const vars = parseEnvFile(`${recordedEnvList}CLERK_SECRET_KEY=sk_live_fake_key_from_production\n`);
    expect(find(runChecks(healthy({ deploymentEnv: { ok: true, vars } })), "CLERK_SECRET_KEY")).toMatchObject(
      {
        status: "problem",
        detail: expect.stringContaining(
          "a production secret key, but the web app's publishable key is from a development instance",
        ),
      },
    );
  });

  it("a secret key from the same kind of instance as the publishable key", () => {
    const vars = parseEnvFile(`${recordedEnvList}CLERK_SECRET_KEY=sk_test_fake_key_from_development\n`);
    expect(find(runChecks(healthy({ deploymentEnv: { ok: true, vars } })), "CLERK_SECRET_KEY").status).toBe(
      "ok",
    );
  });

  it("an issuer domain without https://", () => {
    const vars = parseEnvFile(`${recordedEnvList}CLERK_JWT_ISSUER_DOMAIN=${devHost}\n`);
    expect(problems(healthy({ deploymentEnv: { ok: true, vars } })).map((check) => check.label)).toEqual([
      "CLERK_JWT_ISSUER_DOMAIN",
    ]);
  });

  it("an issuer from another Clerk instance than the publishable key", () => {
    const vars = parseEnvFile(`${recordedEnvList}CLERK_JWT_ISSUER_DOMAIN=https://clerk.example.com\n`);
    expect(problems(healthy({ deploymentEnv: { ok: true, vars } }))).toEqual([
      expect.objectContaining({
        label: "issuer ↔ publishable key",
        fix: expect.stringContaining(`CLERK_JWT_ISSUER_DOMAIN https://${devHost}`),
      }),
    ]);
  });

  it("a pk_live_ key with a dev deployment", () => {
    const webEnv = {
      VITE_CONVEX_URL: "https://happy-animal-123.convex.cloud",
      VITE_CLERK_PUBLISHABLE_KEY: key("live", devHost),
    };
    expect(problems(healthy({ webEnv }))).toEqual([
      expect.objectContaining({
        label: "Clerk instance ↔ deployment",
        detail: "production keys with a dev deployment",
      }),
    ]);
  });

  it("a pk_test_ key with a prod deployment", () => {
    const backendEnv = {
      CONVEX_DEPLOYMENT: "prod:happy-animal-123",
      CONVEX_URL: "https://happy-animal-123.convex.cloud",
    };
    expect(problems(healthy({ backendEnv }))).toEqual([
      expect.objectContaining({ detail: "development keys with a prod deployment" }),
    ]);
  });
});

describe("runChecks on other deployment types", () => {
  it("pairs development keys with an anonymous local deployment", () => {
    const backendEnv = {
      CONVEX_DEPLOYMENT: "anonymous:anonymous-starter",
      CONVEX_URL: "http://127.0.0.1:3210",
    };
    const webEnv = {
      VITE_CONVEX_URL: "http://127.0.0.1:3210",
      VITE_CLERK_PUBLISHABLE_KEY: key("test", devHost),
    };
    const inputs = healthy({ backendEnv, webEnv });
    expect(find(runChecks(inputs), "Clerk instance ↔ deployment")).toEqual({
      status: "ok",
      label: "Clerk instance ↔ deployment",
      detail: "development keys with an anonymous deployment",
    });
    expect(isLocalDeployment(inputs)).toBe(true);
  });
});

describe("runChecks on a local deployment, which Clerk's webhooks cannot reach", () => {
  const local = (deploymentEnv: DoctorInputs["deploymentEnv"]) =>
    healthy({
      backendEnv: { CONVEX_DEPLOYMENT: "local:local-starter", CONVEX_URL: "http://127.0.0.1:3210" },
      webEnv: { VITE_CONVEX_URL: "http://127.0.0.1:3210", VITE_CLERK_PUBLISHABLE_KEY: key("test", devHost) },
      deploymentEnv,
    });

  it("knows a local deployment by its type or by a 127.0.0.1/localhost URL, and a cloud one is not", () => {
    expect(isLocalDeployment(healthy())).toBe(false);
    expect(isLocalDeployment(healthy({ backendEnv: { CONVEX_DEPLOYMENT: "local:x" } }))).toBe(true);
    const selfHosted = { CONVEX_SELF_HOSTED_URL: "http://localhost:3210" };
    expect(isLocalDeployment(healthy({ backendEnv: selfHosted }))).toBe(true);
  });

  it("treats a missing CLERK_WEBHOOK_SECRET as optional, not a problem", () => {
    const vars = parseEnvFile(`CLERK_JWT_ISSUER_DOMAIN=https://${devHost}\n`);
    expect(problems(local({ ok: true, vars }))).toEqual([]);
    expect(find(runChecks(local({ ok: true, vars })), "CLERK_WEBHOOK_SECRET").detail).toContain("optional");
  });

  it("asks whether the local backend is running when it cannot be reached, not whether you are online", () => {
    const unreachable = local({ ok: false, reason: "cannot reach http://127.0.0.1:3210" });
    expect(find(runChecks(unreachable), "CLERK_WEBHOOK_SECRET").fix).toBe(
      "is the local backend running (`pnpm dev`)?",
    );
  });
});

describe("runChecks when the deployment cannot be asked", () => {
  const offline = healthy({ deploymentEnv: { ok: false, reason: "offline? cannot reach the deployment" } });

  it("says each deployment check could not run, and why", () => {
    for (const label of ["CLERK_WEBHOOK_SECRET", "CLERK_JWT_ISSUER_DOMAIN", "issuer ↔ publishable key"]) {
      expect(find(runChecks(offline), label).status).toBe("skipped");
    }
    expect(find(runChecks(offline), "CLERK_WEBHOOK_SECRET").detail).toContain("offline?");
  });

  it("carries on with the local checks, and still catches their problems", () => {
    const inputs = { ...offline, pnpmVersion: "9.15.0" };
    expect(problems(inputs).map((check) => check.label)).toEqual(["pnpm"]);
    expect(find(runChecks(inputs), "VITE_CLERK_PUBLISHABLE_KEY").status).toBe("ok");
  });
});

describe("runChecks --prod", () => {
  const liveHost = "clerk.example.com";
  const prodEnv = `CLERK_JWT_ISSUER_DOMAIN=https://${liveHost}
CLERK_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
CLERK_SECRET_KEY=sk_live_fake_key_from_production
`;
  const production = (overrides: Partial<DoctorInputs> = {}) =>
    healthy({
      target: "production",
      webEnv: { VITE_CLERK_PUBLISHABLE_KEY: key("live", liveHost) },
      webKeySource: "apps/web/.env.production.local",
      deployKey: "prod:happy-animal-123|eyJ2MiI6ImZha2UifQ==",
      deploymentEnv: { ok: true, vars: parseEnvFile(prodEnv) },
      productionSiteUrl: "https://happy-animal-123.convex.site",
      ...overrides,
    });

  it("passes a production setup and prints the production webhook URL", () => {
    expect(runChecks(production()).filter((check) => check.status !== "ok")).toEqual([]);
    expect(doctorWebhookUrl(production())).toBe("https://happy-animal-123.convex.site/clerk-users-webhook");
  });

  it("refuses the development key that .env.local would put into the production build", () => {
    const inputs = production({
      webEnv: { VITE_CLERK_PUBLISHABLE_KEY: key("test", devHost) },
      webKeySource: "apps/web/.env.local",
    });
    expect(find(runChecks(inputs), "VITE_CLERK_PUBLISHABLE_KEY (production build)")).toMatchObject({
      status: "problem",
      detail: expect.stringContaining("apps/web/.env.local"),
      fix: expect.stringContaining(".env.production.local"),
    });
  });

  it("refuses a preview or development deploy key", () => {
    const inputs = production({ deployKey: "preview:team:project|eyJ2MiI6ImZha2UifQ==" });
    expect(find(runChecks(inputs), "production deployment")).toMatchObject({ status: "problem" });
  });

  it("names --prod in every fix that sets a deployment variable", () => {
    const inputs = production({ deploymentEnv: { ok: true, vars: {} } });
    expect(find(runChecks(inputs), "CLERK_WEBHOOK_SECRET").fix).toContain(
      "pnpm convex env set --prod CLERK_WEBHOOK_SECRET",
    );
  });

  it("does not guess a webhook URL the production deployment did not give", () => {
    expect(doctorWebhookUrl(production({ productionSiteUrl: undefined }))).toBeUndefined();
  });
});

describe("a secret pasted into a variable setup:check prints", () => {
  // Made up, and built at run time so that no scanner mistakes the source for a leaked key.
  const secretKey = `sk_live_${"made-up".replace("-", "").repeat(4)}`;
  const signingSecret = `whsec_${btoa("a made-up signing secret, 32 b!")}`;
  const longKey = "eyJ2IjoyLCJ0IjoiYWRtaW4iLCJrIjoiMTIzNDU2Nzg5MGFiY2RlZiJ9Zm9vYmFy";

  it.each([
    ["VITE_CONVEX_URL", "an sk_live_ key", secretKey, "webEnv"],
    ["VITE_CONVEX_URL", "a long base64 key", longKey, "webEnv"],
    ["CLERK_JWT_ISSUER_DOMAIN", "a whsec_ secret", signingSecret, "deploymentEnv"],
    ["CLERK_JWT_ISSUER_DOMAIN", "https:// + an sk_live_ key", `https://${secretKey}`, "deploymentEnv"],
  ])("is never printed: %s holding %s is named, its value is not", (name, _kind, value, where) => {
    const base = healthy();
    const inputs =
      where === "webEnv"
        ? healthy({ webEnv: { ...base.webEnv, [name]: value } })
        : healthy({ deploymentEnv: { ok: true, vars: { ...parseEnvFile(recordedEnvList), [name]: value } } });
    const { text } = formatReport(runChecks(inputs), {
      webhookUrl: doctorWebhookUrl(inputs),
      local: false,
      target: "development",
    });
    expect(text).not.toContain(value.replace(/^https:\/\//, "").slice(0, 16));
    expect(text).toMatch(new RegExp(`\\[problem\\] ${name}: holds something that looks like a secret`));
  });
});
