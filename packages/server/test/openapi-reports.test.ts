import { REPORT_DIMENSIONS } from '@waypost/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';

describe.each(backends())('the reports groupBy in /openapi.json on %s', (backend) => {
  let server: TestServer;
  let groupBy: { schema: { type: string; description: string; pattern: string } };

  beforeAll(async () => {
    server = await startTestServer(backend);
    const spec = (await server.json('/openapi.json', { key: null })).body;
    groupBy = spec.paths['/v1/reports'].get.parameters.find((parameter: { name: string }) => parameter.name === 'groupBy');
  });
  afterAll(() => server.close());

  it('names every dimension, so that a client knows the values without reading the source', () => {
    expect(groupBy.schema.type).toBe('string');
    for (const dimension of REPORT_DIMENSIONS) expect(groupBy.schema.description).toContain(dimension);
  });

  it('has a pattern that takes exactly the lists the server takes', async () => {
    const pattern = new RegExp(groupBy.schema.pattern);
    const lists = [...REPORT_DIMENSIONS, 'day,offer,publisher', 'day, country', REPORT_DIMENSIONS.join(',')];
    for (const list of lists) {
      expect([list, pattern.test(list)]).toEqual([list, true]);
      const report = await server.json(`/v1/reports?from=2026-03-01&to=2026-03-02&groupBy=${encodeURIComponent(list)}`);
      expect([list, report.status]).toEqual([list, 200]);
    }
    for (const list of ['dya', 'day,', 'day;offer', 'offerId']) {
      expect([list, pattern.test(list)]).toEqual([list, false]);
    }
    const refused = await server.json('/v1/reports?from=2026-03-01&to=2026-03-02&groupBy=dya');
    expect(refused.status).toBe(400);
  });
});
