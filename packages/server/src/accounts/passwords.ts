import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { COMMON_PASSWORDS_TEXT } from './common-passwords.js';

/** Shorter passwords are refused (README, Team accounts). */
export const MIN_PASSWORD_LENGTH = 10;
/** scrypt reads the whole password; a cap keeps one sign-in from costing arbitrary CPU. */
export const MAX_PASSWORD_LENGTH = 200;

// N = 2^15, r = 8, p = 1: OWASP's scrypt recommendation, about 50 ms and 32 MiB per hash.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

let common: ReadonlySet<string> | undefined;
const commonPasswords = () => (common ??= new Set(COMMON_PASSWORDS_TEXT.split('\n')));

/**
 * Why a password is refused, or undefined when it may be used: too short or long, or one of the most common passwords,
 * also with digits or symbols added at the end ("password2024!") or the user's own e-mail name.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  const list = commonPasswords();
  if (list.has(lower) || (stem.length >= 4 && list.has(stem)) || /^(.)\1+$/su.test(password)) {
    return 'is one of the most common passwords; choose another';
  }
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && (lower === local || stem === local)) return 'must not be your e-mail address';
  return undefined;
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...params, maxmem: 128 * params.N * params.r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * A PHC-style string, `$scrypt$ln=15,r=8,p=1$SALT$HASH` (base64), so that the parameters stored with each hash can be
 * raised later without breaking the passwords already set.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, KEY_LENGTH);
  return `$scrypt$ln=${Math.log2(PARAMS.N)},r=${PARAMS.r},p=${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether `password` matches `stored` (from hashPassword), compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match || password.length > MAX_PASSWORD_LENGTH) return false;
  const [, ln, r, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64');
  const actual = await derive(password, Buffer.from(salt!, 'base64'), { N: 2 ** Number(ln), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(actual, expected);
}

/** A hash of nothing anyone knows, verified when the e-mail is unknown so that a sign-in takes as long either way. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A password for `waypost users create` and the first owner: 20 characters without look-alikes (over 110 bits). */
export function generatePassword(): string {
  const size = PASSWORD_ALPHABET.length;
  // Bytes past the last whole multiple of the alphabet's size are drawn again, so that every letter is as likely.
  const limit = 256 - (256 % size);
  let out = '';
  while (out.length < 20) {
    for (const byte of randomBytes(32)) if (byte < limit && out.length < 20) out += PASSWORD_ALPHABET[byte % size];
  }
  return out;
}
