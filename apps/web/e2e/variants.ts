/**
 * Vite bakes VITE_* into the bundle at build time, so each environment under test is its own production
 * build, served by `vite preview` on its own port. The env is passed on the command line, which Vite ranks
 * above any .env.local in the checkout, so a developer's own keys never leak into these runs.
 */
type Variant = {
  name: string;
  port: number;
  env: { VITE_CONVEX_URL: string; VITE_CLERK_PUBLISHABLE_KEY: string };
};

/** The Frontend API host the syntactically valid test key points at; nothing answers there. */
export const E2E_CLERK_HOST = "clever-fox-12.clerk.accounts.dev";

export const variants = {
  missing: { name: "missing", port: 4311, env: { VITE_CONVEX_URL: "", VITE_CLERK_PUBLISHABLE_KEY: "" } },
  malformed: {
    name: "malformed",
    port: 4312,
    env: {
      // The two mistakes people make most: the HTTP actions host, and the secret key.
      VITE_CONVEX_URL: "https://happy-otter-123.convex.site",
      VITE_CLERK_PUBLISHABLE_KEY: "sk_test_not_a_real_secret_key",
    },
  },
  configured: {
    name: "configured",
    port: 4313,
    env: {
      VITE_CONVEX_URL: "https://happy-otter-123.convex.cloud",
      VITE_CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from(`${E2E_CLERK_HOST}$`).toString("base64")}`,
    },
  },
} satisfies Record<string, Variant>;

/** Where `vite preview` serves the docs gallery (gallery/), built with the test doubles. */
export const GALLERY_PORT = 4314;

export function urlOf(variant: Variant): string {
  return `http://127.0.0.1:${variant.port}/`;
}

/** Where the live check's build is served (e2e/live.spec.ts). */
const LIVE_PORT = 4315;

/**
 * The web app built against a real Clerk development instance and Convex deployment, for the live check;
 * undefined (and the live spec skipped) unless all of its variables are set: .github/live-checks.md.
 */
export function liveVariant(env: Record<string, string | undefined> = process.env): Variant | undefined {
  const { E2E_CLERK_PUBLISHABLE_KEY, E2E_CLERK_SECRET_KEY, E2E_CONVEX_URL } = env;
  if (!E2E_CLERK_PUBLISHABLE_KEY || !E2E_CLERK_SECRET_KEY || !E2E_CONVEX_URL) return undefined;
  return {
    name: "live",
    port: LIVE_PORT,
    env: { VITE_CONVEX_URL: E2E_CONVEX_URL, VITE_CLERK_PUBLISHABLE_KEY: E2E_CLERK_PUBLISHABLE_KEY },
  };
}
