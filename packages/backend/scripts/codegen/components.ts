/**
 * Offline codegen (`convex codegen --system-udfs`) cannot list the app's Convex components: that needs a
 * deployment. `convex dev` can, and adds a `components` export to `_generated/api.{js,d.ts}`. The kit reads
 * its components through `componentsGeneric()` instead, so both versions of `_generated` work, and the
 * drift check compares them with the `components` export left out.
 */
export function withoutComponents(text: string): string {
  return (
    text
      // api.d.ts: `export declare const components: { … };` (a block, or one line for AnyComponents)
      .replace(/^export declare const components:[^\n]*\{[\s\S]*?^\};?\n?/m, "")
      .replace(/^export declare const components:[^\n]*;\n?/m, "")
      // api.js: `export const components = componentsGeneric();`
      .replace(/^export const components\b[^\n]*componentsGeneric\(\)[^\n]*\n?/m, "")
      .replace(
        /import \{ anyApi, componentsGeneric \} from "convex\/server";/,
        'import { anyApi } from "convex/server";',
      )
      .replace(/^import type \{ AnyComponents \} from "convex\/server";\n?/m, "")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd()
  );
}
