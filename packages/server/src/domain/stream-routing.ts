/**
 * Which stream takes a campaign visit, and which lander and offer a flow draws (README, Campaigns). Pure: the random
 * source is passed in, so that a test can fix the draws with a seed.
 */

/** A number in [0, 1), like Math.random. */
export type RandomSource = () => number;

export interface RoutableStream {
  type: 'forced' | 'regular' | 'default';
  status: 'active' | 'paused';
  /** 1..1000, relative to the other regular streams. */
  weight: number;
}

/**
 * Draws one of `items` by weight: weights are relative (200 and 100 split 2 : 1). Items of weight 0 or less are never
 * drawn; undefined when none can be.
 */
export function drawByWeight<T>(items: readonly T[], weightOf: (item: T) => number, random: RandomSource): T | undefined {
  let total = 0;
  for (const item of items) total += Math.max(0, weightOf(item));
  if (total <= 0) return undefined;
  let point = random() * total;
  let last: T | undefined;
  for (const item of items) {
    const weight = Math.max(0, weightOf(item));
    if (weight === 0) continue;
    if (point < weight) return item;
    point -= weight;
    last = item;
  }
  // Floating-point sums can leave the point a hair past the end.
  return last;
}

/**
 * The stream a visit takes: the first active `forced` stream whose filters pass, in list order; else among the active
 * `regular` streams that pass, the first (`position`) or one drawn by weight (`weight`); else the first active
 * `default` stream that passes (one without filters always does); else none.
 */
export function chooseStream<S extends RoutableStream>(
  streams: readonly S[],
  passes: (stream: S) => boolean,
  rotation: 'position' | 'weight',
  random: RandomSource,
): S | undefined {
  const active = streams.filter((stream) => stream.status === 'active');
  const forced = active.find((stream) => stream.type === 'forced' && passes(stream));
  if (forced) return forced;
  if (rotation === 'position') {
    const first = active.find((stream) => stream.type === 'regular' && passes(stream));
    if (first) return first;
  } else {
    const drawn = drawByWeight(
      active.filter((stream) => stream.type === 'regular' && passes(stream)),
      (stream) => stream.weight,
      random,
    );
    if (drawn) return drawn;
  }
  return active.find((stream) => stream.type === 'default' && passes(stream));
}

/** A small seeded generator (mulberry32) for tests and benchmarks that need the same draws every run. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
