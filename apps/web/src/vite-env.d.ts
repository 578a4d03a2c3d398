/// <reference types="vite/client" />

// Typed so that env.ts, the one reader, sees these as possibly missing.
interface ImportMetaEnv {
  readonly VITE_CONVEX_URL?: string;
  readonly VITE_CLERK_PUBLISHABLE_KEY?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
