import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { SCRIPT_ATTRIBUTES } from '../src/attributes.js';
import { STUB_SNIPPET } from '../src/queue.js';

const readme = readFileSync(fileURLToPath(import.meta.resolve('../README.md')), 'utf8');
const implemented = Object.values(SCRIPT_ATTRIBUTES).sort();

test('the README attribute table lists exactly the attributes the script reads', () => {
  const documented = [...readme.matchAll(/^\| `(data-[a-z-]+)` \|/gm)].map((match) => match[1]);
  expect(documented.sort()).toEqual(implemented);
});

test('the README snippets use only attributes the script reads', () => {
  const snippets = [...readme.matchAll(/```html\n([\s\S]*?)```/g)].map((match) => match[1]!).join('\n');
  const used = new Set([...snippets.matchAll(/\b(data-[a-z-]+)/g)].map((match) => match[1]));
  expect(used.size).toBeGreaterThan(5);
  for (const attribute of used) expect(implemented).toContain(attribute);
});

test('each attribute is the option of the same name, since the script passes its dataset to createTracker()', () => {
  for (const [name, attribute] of Object.entries(SCRIPT_ATTRIBUTES)) {
    expect(attribute).toBe(`data-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`);
  }
});

test('the README shows the stub one-liner the module exports', () => {
  expect(readme).toContain(STUB_SNIPPET);
});
