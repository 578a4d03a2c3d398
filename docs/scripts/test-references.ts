/**
 * Test references in prose: a link to a test file followed by `› “test name”`, optionally more
 * (`, › “another”`). The check confirms each named test is still in that file, so "this test proves it"
 * cannot outlive a renamed or deleted test.
 */

export type TestReference = { line: number; target: string; name: string };

/** Opens `› “` without closing the quote on the same line: wrapped, so it would escape the check. */
const DANGLING = /›\s*“[^”]*$/;

const REFERENCES = /\]\(([^)\s]+)\)((?:\s*,?\s*›\s*“[^”]+”)+)/g;
const NAME = /“([^”]+)”/g;

export function findTestReferences(markdown: string): TestReference[] {
  const references: TestReference[] = [];
  let inFence = false;
  markdown.split("\n").forEach((text, index) => {
    if (/^\s{0,3}(`{3,}|~{3,})/.test(text)) inFence = !inFence;
    if (inFence) return;
    for (const [, target, names] of text.matchAll(REFERENCES)) {
      if (target === undefined || names === undefined) continue;
      for (const [, name] of names.matchAll(NAME)) {
        if (name !== undefined) references.push({ line: index + 1, target, name });
      }
    }
  });
  return references;
}

/** Lines (1-based) whose test reference is wrapped onto the next line; names must stay on one line. */
export function findWrappedReferences(markdown: string): number[] {
  return markdown.split("\n").flatMap((text, index) => (DANGLING.test(text) ? [index + 1] : []));
}
