// Proves that .github/workflows/e2e-live.yml skips (never fails) its live job without the secrets: runs the
// gate step's own shell with each secret missing and with all present, and checks that every job reading a
// secret is the gate or waits on the gate's answer; and that a failing `curl` fails the step that pipes it (the
// cleanup would otherwise pass and leave the test user behind). Run by .ci/kit/run beside actionlint.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";

const path = new URL("../../.github/workflows/e2e-live.yml", import.meta.url);
const workflow = load(readFileSync(path, "utf8"));
const secretsNeeded = ["E2E_CLERK_PUBLISHABLE_KEY", "E2E_CLERK_SECRET_KEY", "E2E_CONVEX_DEPLOY_KEY"];
const problems = [];

const [gateName, gate] =
  Object.entries(workflow.jobs).find(([, job]) => job.outputs?.live !== undefined) ?? [];
if (gate === undefined) throw new Error("e2e-live.yml: no job has a `live` output (the gate)");
const stepId = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.live\s*\}\}$/.exec(gate.outputs.live)?.[1];
const gateStep = gate.steps.find((step) => step.id === stepId);
if (gateStep === undefined)
  throw new Error(`e2e-live.yml: the gate's output comes from no step (${gate.outputs.live})`);

/** The gate's own script, with the secrets it maps into its env either present or empty, as Actions gives them. */
function gateSays(present) {
  const env = { PATH: process.env.PATH };
  for (const [name, value] of Object.entries(gateStep.env ?? {})) {
    const secret = /^\$\{\{\s*secrets\.(\w+)\s*\}\}$/.exec(String(value))?.[1];
    env[name] = secret !== undefined && present.includes(secret) ? "a-value" : "";
  }
  const dir = mkdtempSync(join(tmpdir(), "gate-"));
  try {
    env.GITHUB_OUTPUT = join(dir, "output");
    const result = spawnSync("bash", ["-e", "-c", gateStep.run], { env, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`the gate step exited ${result.status}: ${result.stderr}`);
    return /^live=(.*)$/m.exec(readFileSync(env.GITHUB_OUTPUT, "utf8"))?.[1];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (gateSays([]) !== "false") problems.push("with no secrets the gate does not say live=false");
for (const missing of secretsNeeded) {
  const said = gateSays(secretsNeeded.filter((name) => name !== missing));
  if (said !== "false") problems.push(`without ${missing} the gate says live=${said}`);
}
if (gateSays(secretsNeeded) !== "true")
  problems.push("with all three secrets the gate does not say live=true");

// A job that reads a secret without waiting on the gate would run (and fail) on a fork.
for (const [name, job] of Object.entries(workflow.jobs)) {
  if (name === gateName || !JSON.stringify(job).includes("secrets.")) continue;
  const needs = [job.needs ?? []].flat();
  if (!needs.includes(gateName) || String(job.if).trim() !== `needs.${gateName}.outputs.live == 'true'`) {
    problems.push(
      `job ${name} reads secrets but does not run only on \`needs.${gateName}.outputs.live == 'true'\``,
    );
  }
}

/**
 * A step's script run as GitHub runs it: `bash -e {0}` without a `shell`, `bash --noprofile --norc -eo pipefail
 * {0}` with `shell: bash` (GitHub's docs, "Default shell"), with a `curl` that fails as `curl -f` does on a 5xx.
 */
function exitWithFailingCurl(job, step) {
  const shell = step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
  const flags = shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail"] : ["-e"];
  const dir = mkdtempSync(join(tmpdir(), "curl-"));
  try {
    writeFileSync(
      join(dir, "curl"),
      "#!/bin/sh\necho 'curl: (22) The requested URL returned error: 502' >&2\nexit 22\n",
    );
    chmodSync(join(dir, "curl"), 0o755);
    const env = { PATH: `${dir}:${process.env.PATH}`, E2E_RUN_ID: "1-1", CLERK_SECRET_KEY: "sk_test_x" };
    return spawnSync("bash", [...flags, "-c", step.run], { env, encoding: "utf8" }).status;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
for (const job of Object.values(workflow.jobs)) {
  for (const step of job.steps ?? []) {
    const run = step.run ?? "";
    if (/\bcurl\b/.test(run) && run.includes("|") && exitWithFailingCurl(job, step) === 0) {
      problems.push(`step "${step.name}" passes when its curl fails: run it with pipefail (shell: bash)`);
    }
  }
}

if (problems.length > 0) {
  console.error(`e2e-live.yml gate:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(
  `e2e-live.yml: the gate says live=false without any one of ${secretsNeeded.join(", ")}; the live job waits on it; a failing curl fails its step.`,
);
