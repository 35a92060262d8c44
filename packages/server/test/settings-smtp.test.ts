// The SMTP status and "Send test e-mail" of the console's Settings, against a real mail relay on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestServer, type TestServer } from './support/harness.js';
import { freePort, startSmtpReceiver, type SmtpReceiver } from './support/receivers.js';

const PASSWORD = 'correct horse battery staple';

describe.each(backends())('SMTP settings on %s', (backend) => {
  let server: TestServer;
  let smtp: SmtpReceiver;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    server = await startTestServer(backend, { env: { WAYPOST_SMTP_URL: smtp.url, WAYPOST_SMTP_FROM: 'Tracker <tracker@shop.example.com>' } });
    await server.addUser({ email: 'owner@example.com', role: 'owner' }, PASSWORD);
    await server.addUser({ email: 'analyst@example.com', role: 'analyst' }, PASSWORD);
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  it('shows the configured relay and its sender', async () => {
    const { status, body } = await server.json('/v1/settings/smtp');
    expect(status).toBe(200);
    expect(body).toEqual({ configured: true, host: '127.0.0.1', port: Number(new URL(smtp.url).port), secure: false, from: 'Tracker <tracker@shop.example.com>' });
  });

  it("sends a test e-mail to the signed-in user's own address through the relay", async () => {
    const owner = await server.signIn('owner@example.com', PASSWORD);
    const before = smtp.received.length;
    const { status, body } = await owner.json('/v1/settings/smtp/test', { method: 'POST', json: {} });
    expect(status).toBe(200);
    expect(body).toEqual({ sent: true, to: 'owner@example.com' });
    // Answered only once the relay accepted it: no waiting needed.
    const mail = smtp.received[before]!;
    expect(mail.rcptTo).toEqual(['owner@example.com']);
    expect(mail.headers.subject).toBe('Waypost test e-mail');
    expect(mail.mailFrom).toBe('tracker@shop.example.com');
  });

  it('sends to the address given, and asks an API key, which has none, to give one', async () => {
    const before = smtp.received.length;
    expect((await server.json('/v1/settings/smtp/test', { method: 'POST', json: { to: 'ops@example.com' } })).body).toEqual({ sent: true, to: 'ops@example.com' });
    expect(smtp.received[before]!.rcptTo).toEqual(['ops@example.com']);

    const missing = await server.json('/v1/settings/smtp/test', { method: 'POST', json: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.error.issues).toEqual([expect.objectContaining({ path: 'to' })]);
    const bad = await server.json('/v1/settings/smtp/test', { method: 'POST', json: { to: 'not an address' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe('to');
  });

  it('refuses analysts, who may only read, and shows them nothing of the mail settings', async () => {
    const analyst = await server.signIn('analyst@example.com', PASSWORD);
    expect((await analyst.json('/v1/settings/smtp/test', { method: 'POST', json: {} })).status).toBe(403);
    expect((await analyst.json('/v1/settings/smtp')).status).toBe(403);
  });
});

describe.each(backends())('SMTP settings without a relay, or with one that is down, on %s', (backend) => {
  it('says no relay is configured and answers a test with 409', async () => {
    const server = await startTestServer(backend);
    try {
      expect((await server.json('/v1/settings/smtp')).body).toEqual({ configured: false, host: null, port: null, secure: false, from: null });
      const test = await server.json('/v1/settings/smtp/test', { method: 'POST', json: { to: 'ops@example.com' } });
      expect(test.status).toBe(409);
      expect(test.body.error.code).toBe('smtp_not_configured');
    } finally {
      await server.close();
    }
  });

  it('shows the host and port of a relay URL without its user name or password', async () => {
    const server = await startTestServer(backend, { env: { WAYPOST_SMTP_URL: 'smtps://mailer:s3cret-pass@mail.example.com' } });
    try {
      const { body } = await server.request('/v1/settings/smtp').then(async (response) => ({ body: await response.text() }));
      expect(JSON.parse(body)).toMatchObject({ configured: true, host: 'mail.example.com', port: 465, secure: true });
      expect(body).not.toContain('mailer');
      expect(body).not.toContain('s3cret');
    } finally {
      await server.close();
    }
  });

  it("answers 502 with the relay's reason when the relay cannot be reached", async () => {
    const port = await freePort();
    const server = await startTestServer(backend, { env: { WAYPOST_SMTP_URL: `smtp://127.0.0.1:${port}` } });
    try {
      const test = await server.json('/v1/settings/smtp/test', { method: 'POST', json: { to: 'ops@example.com' } });
      expect(test.status).toBe(502);
      expect(test.body.error.code).toBe('smtp_failed');
      expect(test.body.error.message).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await server.close();
    }
  });
});
