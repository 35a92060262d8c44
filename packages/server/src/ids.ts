import { randomBytes } from 'node:crypto';

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

function encodeRandom(chars: number): string {
  const bytes = randomBytes(chars);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

/**
 * A time-sortable id: 10 characters of milliseconds, then `randomChars` characters of CSPRNG output (5 bits each).
 * Sorting ids sorts by creation time, which is what cursor pagination relies on.
 */
export function newId(prefix: string, at: Date, randomChars = 12): string {
  return `${prefix}${encodeTime(at.getTime())}${encodeRandom(randomChars)}`;
}

/** A click id: 30 characters, 100 random bits, unguessable so nobody can attribute a forged conversion to it. */
export function newClickId(at: Date): string {
  return newId('', at, 20);
}

/** A secret token (postback tokens, API keys): 32 characters, 160 random bits. */
export function newSecret(chars = 32): string {
  return encodeRandom(chars);
}
