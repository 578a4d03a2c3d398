/**
 * Test references in prose: a link to a test file followed by `› “test name”`. The check confirms the
 * named test is still in that file, so "this test proves it" cannot outlive a renamed or deleted test.
 */

export type TestReference = { line: number; target: string; name: string };

const REFERENCE = /\]\(([^)\s]+)\)\s*›\s*“([^”]+)”/g;

export function findTestReferences(markdown: string): TestReference[] {
  const references: TestReference[] = [];
  let inFence = false;
  markdown.split("\n").forEach((text, index) => {
    if (/^\s{0,3}(`{3,}|~{3,})/.test(text)) inFence = !inFence;
    if (inFence) return;
    for (const match of text.matchAll(REFERENCE)) {
      if (match[1] !== undefined && match[2] !== undefined) {
        references.push({ line: index + 1, target: match[1], name: match[2] });
      }
    }
  });
  return references;
}
