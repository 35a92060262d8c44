import type { Keyword, KeywordSetMode } from '@waypost/schema';
import { drawByWeight, type RandomSource } from './stream-routing.js';

/**
 * The keywords one click gets from a keyword set (README, Keyword sets): up to `slots` distinct active keywords.
 * `weighted` draws them by weight without putting a drawn one back; `sequential` takes consecutive active keywords in
 * list order, starting at `position` (a count shared by every server process), so that successive clicks start one
 * keyword further on and every keyword comes first in turn.
 */
export function drawKeywords(
  keywords: readonly Keyword[],
  options: { mode: KeywordSetMode; slots: number; random: RandomSource; position: number },
): string[] {
  const active = keywords.filter((keyword) => keyword.active);
  const count = Math.min(options.slots, active.length);
  if (count === 0) return [];
  if (options.mode === 'sequential') {
    const start = ((options.position % active.length) + active.length) % active.length;
    return Array.from({ length: count }, (_, offset) => active[(start + offset) % active.length]!.text);
  }
  const left = [...active];
  const drawn: string[] = [];
  while (drawn.length < count) {
    const keyword = drawByWeight(left, (entry) => entry.weight, options.random)!;
    drawn.push(keyword.text);
    left.splice(left.indexOf(keyword), 1);
  }
  return drawn;
}
