import { describe, expect, it } from 'vitest';
import { chooseStream, drawByWeight, seededRandom, type RoutableStream } from '../../src/domain/stream-routing.js';

type Stream = RoutableStream & { id: string; ok: boolean };
const stream = (id: string, type: Stream['type'], fields: Partial<Stream> = {}): Stream => ({ id, type, status: 'active', weight: 100, ok: true, ...fields });
const passes = (s: Stream) => s.ok;

describe('stream routing', () => {
  it('takes the first active forced stream whose filters pass, in list order', () => {
    const streams = [stream('r1', 'regular'), stream('f1', 'forced', { ok: false }), stream('f2', 'forced', { status: 'paused' }), stream('f3', 'forced'), stream('f4', 'forced')];
    expect(chooseStream(streams, passes, 'position', Math.random)?.id).toBe('f3');
  });

  it('takes the first passing regular stream with position rotation', () => {
    const streams = [stream('d', 'default'), stream('r1', 'regular', { ok: false }), stream('r2', 'regular', { weight: 1 }), stream('r3', 'regular', { weight: 1000 })];
    expect(chooseStream(streams, passes, 'position', () => 0.99)?.id).toBe('r2');
  });

  it('falls back to the default stream, and to none', () => {
    expect(chooseStream([stream('r1', 'regular', { ok: false }), stream('d', 'default')], passes, 'weight', Math.random)?.id).toBe('d');
    expect(chooseStream([stream('r1', 'regular', { ok: false }), stream('d', 'default', { status: 'paused' })], passes, 'weight', Math.random)).toBeUndefined();
  });

  it('draws regular streams by relative weight with a fixed seed', () => {
    const streams = [stream('a', 'regular', { weight: 200 }), stream('b', 'regular', { weight: 100 }), stream('c', 'regular', { weight: 700, ok: false })];
    const random = seededRandom(42);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[chooseStream(streams, passes, 'weight', random)!.id]! += 1;
    expect(counts.c).toBe(0);
    // 2 : 1, within 1.5% of 20,000 and 10,000 (over 10 standard deviations at this seed's luck).
    expect(Math.abs(counts.a! - 20_000)).toBeLessThan(300);
    expect(Math.abs(counts.b! - 10_000)).toBeLessThan(300);
  });

  it('draws by weight over the whole range and never draws a zero weight', () => {
    const items = [{ w: 1 }, { w: 0 }, { w: 3 }];
    expect(drawByWeight(items, (i) => i.w, () => 0)).toBe(items[0]);
    expect(drawByWeight(items, (i) => i.w, () => 0.25)).toBe(items[2]);
    expect(drawByWeight(items, (i) => i.w, () => 0.9999999)).toBe(items[2]);
    expect(drawByWeight([{ w: 0 }], (i) => i.w, () => 0.5)).toBeUndefined();
    expect(drawByWeight([], () => 1, () => 0.5)).toBeUndefined();
  });
});
