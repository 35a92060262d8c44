import type { CreateKeywordSetParamsSchema, KeywordSet, Offer } from '@waypost/schema';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import { drawKeywords } from '../domain/keyword-draw.js';
import type { RandomSource } from '../domain/stream-routing.js';
import { newId } from '../ids.js';
import type { ClickRecord } from '../storage/store.js';
import type { MacroValues } from '../tracking/index.js';

/*
 * Keyword sets (README, Keyword sets): an offer's `keywords` setting draws up to `slots` keywords per click for
 * `{keyword}` and `{kw1}`…`{kw5}` in its URL, and the first becomes the click's `keyword`.
 */

export function newKeywordSet(params: z.output<typeof CreateKeywordSetParamsSchema>, workspaceId: string, now: Date): KeywordSet {
  return {
    id: newId('kws_', now),
    name: params.name,
    mode: params.mode,
    keywords: params.keywords,
    notes: params.notes ?? null,
    workspaceId,
    archivedAt: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** The counter that holds a sequential set's position, shared by every server process (storage `counters`). */
export const sequenceScope = (setId: string): string => `keywords:${setId}`;

/**
 * The keywords a click on `offer` draws; none when the offer has no keyword set (no query at all: `/c` stays as fast
 * for offers without keywords) or the set is archived or has no active keyword.
 */
export async function keywordsForClick({ store }: Pick<AppContext, 'store'>, offer: Offer, random: RandomSource = Math.random): Promise<string[]> {
  if (!offer.keywords) return [];
  const set = await store.keywordSets.get(offer.keywords.setId);
  if (!set || set.archivedAt || !set.keywords.some((keyword) => keyword.active)) return [];
  // One atomic increment per click: two processes never hand out the same position.
  const position = set.mode === 'sequential' ? (await store.counters.increment(sequenceScope(set.id))).count - 1 : 0;
  return drawKeywords(set.keywords, { mode: set.mode, slots: offer.keywords.slots, random, position });
}

/** `{keyword}` (the first) and `{kw1}`…`{kw5}`. */
export function keywordMacroValues(keywords: readonly string[]): MacroValues {
  return { keyword: keywords[0], kw1: keywords[0], kw2: keywords[1], kw3: keywords[2], kw4: keywords[3], kw5: keywords[4] };
}

/** A click's keywords: those it drew, or the one it brought (a traffic source's keyword). */
export function clickKeywords(click: Pick<ClickRecord, 'keyword' | 'keywords'>): string[] {
  return click.keywords ?? (click.keyword ? [click.keyword] : []);
}
