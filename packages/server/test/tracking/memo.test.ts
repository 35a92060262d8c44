import { describe, expect, it } from 'vitest';
import { memoizeByString } from '../../src/tracking/memo.js';

describe('memoizeByString', () => {
  it('computes a value once while it is remembered, and forgets the oldest first when full', () => {
    const calls: string[] = [];
    const length = memoizeByString((value) => (calls.push(value), value.length), 2);
    expect([length('a'), length('bb'), length('a'), length('bb')]).toEqual([1, 2, 1, 2]);
    expect(calls).toEqual(['a', 'bb']);
    // A third value pushes out the first one: asked again, it is computed again.
    expect(length('ccc')).toBe(3);
    expect(length('bb')).toBe(2);
    expect(length('a')).toBe(1);
    expect(calls).toEqual(['a', 'bb', 'ccc', 'a']);
  });

  it('remembers undefined and null results too', () => {
    let calls = 0;
    const nothing = memoizeByString(() => (calls++, undefined), 10);
    nothing('x');
    nothing('x');
    expect(calls).toBe(1);
  });
});
