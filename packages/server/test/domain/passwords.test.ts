import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from '../../src/accounts/passwords.js';

describe('the password rules', () => {
  it.each([
    ['correct horse battery staple', undefined],
    ['Tr0ub4dor&3xyz', undefined],
    ['ünïcödé-pässwörd', undefined],
    ['short', 'must be at least 10 characters'],
    // Ten characters by what a person types, not by UTF-16 units.
    ['😀😀😀😀😀😀😀😀😀', 'must be at least 10 characters'],
    ['x'.repeat(201), 'must be at most 200 characters'],
    ['1234567890', 'is one of the most common passwords; choose another'],
    ['qwertyuiop', 'is one of the most common passwords; choose another'],
    ['Password2024!', 'is one of the most common passwords; choose another'],
    ['football!!!!', 'is one of the most common passwords; choose another'],
    ['zzzzzzzzzzzz', 'is one of the most common passwords; choose another'],
  ])('judges %j: %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it("refuses the e-mail's own name, also with digits added", () => {
    expect(passwordProblem('margaret.hamilton', 'Margaret.Hamilton@example.com')).toBe('must not be your e-mail address');
    expect(passwordProblem('margaret.hamilton1969', 'margaret.hamilton@example.com')).toBe('must not be your e-mail address');
    expect(passwordProblem('margaret.hamilton.apollo', 'margaret.hamilton@example.com')).toBeUndefined();
  });

  it('hashes with scrypt and a random salt, and verifies only the same password', async () => {
    const [first, second] = [await hashPassword('correct horse battery staple'), await hashPassword('correct horse battery staple')];
    expect(first).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery staple', first)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', first)).toBe(false);
    expect(await verifyPassword('correct horse battery staple', 'not a hash')).toBe(false);
  });

  it('verifies a hash made with other scrypt parameters, as stored with it', async () => {
    // ln=14: a hash from before a change of the parameters still verifies.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('an older passphrase', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    expect(await verifyPassword('an older passphrase', `$scrypt$ln=14,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`)).toBe(true);
  });

  it('generates passwords of 20 unambiguous letters and digits that pass the rules', () => {
    const passwords = Array.from({ length: 200 }, generatePassword);
    expect(new Set(passwords).size).toBe(200);
    for (const password of passwords) {
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
      expect(passwordProblem(password)).toBeUndefined();
    }
  });
});
