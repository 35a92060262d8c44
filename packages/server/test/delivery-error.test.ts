import { describe, expect, it } from 'vitest';
import { adminDeliveryError, deliveryError, publisherDeliveryError } from '../src/outbox/delivery-error.js';

describe('delivery errors as each key sees them', () => {
  it.each([
    { title: 'shows a publisher the reason of a new entry, never its detail', stored: deliveryError('HTTP 500', 'Traceback: db at 10.0.0.5'), publisher: 'HTTP 500', admin: 'HTTP 500: Traceback: db at 10.0.0.5' },
    { title: 'keeps a reason that holds a colon whole', stored: deliveryError('destination refused: loopback address'), publisher: 'destination refused: loopback address', admin: 'destination refused: loopback address' },
    { title: 'cuts the body from an entry written before reasons and details were apart', stored: 'HTTP 502: <html>internal proxy 10.1.2.3</html>', publisher: 'HTTP 502', admin: 'HTTP 502: <html>internal proxy 10.1.2.3</html>' },
    { title: "cuts an old socket error's address", stored: 'fetch failed: connect ECONNREFUSED 127.0.0.1:9', publisher: 'fetch failed', admin: 'fetch failed: connect ECONNREFUSED 127.0.0.1:9' },
  ])('$title', ({ stored, publisher, admin }) => {
    expect(publisherDeliveryError(stored)).toBe(publisher);
    expect(adminDeliveryError(stored)).toBe(admin);
  });

  it('keeps a detail to one short, clean line', () => {
    const stored = deliveryError('HTTP 500', `a\r\nb\u0000c ${'x'.repeat(500)}`);
    const [, detail] = stored.split('\n');
    expect(detail).toMatch(/^a b c x+$/);
    expect(detail!.length).toBe(200);
  });
});
