import { randomFillSync } from 'node:crypto';

// Crockford base32 in lower case: URL-safe, unambiguous, and ordered the same as the bytes it encodes.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

// CSPRNG output is drawn a few kilobytes at a time (one call per click was measurable); no byte is used twice.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomDigits(count: number): number[] {
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const digits = Array.from(pool.subarray(poolOffset, poolOffset + count), (byte) => byte & 31);
  poolOffset += count;
  return digits;
}

function encodeRandom(chars: number): string {
  let out = '';
  for (const digit of randomDigits(chars)) out += ALPHABET[digit];
  return out;
}

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * A time-sortable resource id: 10 characters of milliseconds, then 12 characters (60 bits) of CSPRNG output.
 * Within one millisecond (or when the clock steps back) the random part counts up instead, so ids always sort
 * in creation order, which cursor pagination relies on.
 */
export function newId(prefix: string, at: Date): string {
  const time = Math.max(at.getTime(), lastTime);
  if (time === lastTime) {
    let i = lastRandom.length - 1;
    while (i >= 0 && lastRandom[i] === 31) lastRandom[i--] = 0;
    if (i >= 0) lastRandom[i]! += 1;
  } else {
    lastRandom = randomDigits(12);
  }
  lastTime = time;
  return `${prefix}${encodeTime(time)}${lastRandom.map((digit) => ALPHABET[digit]).join('')}`;
}

/** A click id: 30 characters, 100 random bits, unguessable so nobody can attribute a forged conversion to it. */
export function newClickId(at: Date): string {
  // Not monotonic: a click id must not reveal its neighbours.
  return `${encodeTime(at.getTime())}${encodeRandom(20)}`;
}

/** What newClickId makes, to find a click id among values that are not all click ids. */
export const CLICK_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{30}$/;

/** A secret token (postback tokens, API keys): 32 characters, 160 random bits. */
export function newSecret(chars = 32): string {
  return encodeRandom(chars);
}
