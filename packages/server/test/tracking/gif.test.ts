import { describe, expect, it } from 'vitest';
import { TRANSPARENT_GIF } from '../../src/tracking/index.js';

describe('TRANSPARENT_GIF', () => {
  it('is a 43-byte GIF89a', () => {
    expect(TRANSPARENT_GIF).toHaveLength(43);
    expect(TRANSPARENT_GIF.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(TRANSPARENT_GIF.at(-1)).toBe(0x3b);
  });

  it('is one pixel wide and one pixel high', () => {
    expect(TRANSPARENT_GIF.readUInt16LE(6)).toBe(1);
    expect(TRANSPARENT_GIF.readUInt16LE(8)).toBe(1);
  });

  it('marks its only pixel transparent', () => {
    // Graphic Control Extension right after the 2-colour table: transparency flag set, transparent index 0, pixel 0.
    expect([...TRANSPARENT_GIF.subarray(19, 23)]).toEqual([0x21, 0xf9, 0x04, 0x01]);
    expect(TRANSPARENT_GIF[25]).toBe(0);
  });
});
