import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, freshDatabaseUrl, runCli, spawnServer } from './support/harness.js';

const startCli = (databaseUrl: string) => spawnServer(databaseUrl, 'start');

/** Each case starts CLI processes, each compiling the CLI with tsx, which takes seconds on a busy machine. */
const PROCESS_TEST = { timeout: 120_000 };

const field = (output: string, label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(output)?.[1];

describe.each(backends())('the waypost CLI on %s', (backend) => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('seeds the demo on first start, prints working links, and keeps every record across a restart', PROCESS_TEST, async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const first = await startCli(databaseUrl);
    children.push(first.child);
    const adminKey = field(first.output, 'Admin API key')!;
    const trackingUrl = field(first.output, 'Tracking URL')!;
    expect(adminKey).toMatch(/^wp_sk_/);
    expect(field(first.output, 'Publisher API key')).toMatch(/^wp_pk_/);
    // Started on any free port without a public URL, the links point at the port it got.
    expect(trackingUrl.startsWith(`${first.url}/c/`)).toBe(true);
    expect(trackingUrl.slice(first.url.length)).toMatch(/^\/c\/off_[0-9a-z]+\?pub=pub_[0-9a-z]+$/);
    expect(field(first.output, 'Postback URL')?.slice(first.url.length)).toMatch(
      /^\/postback\?click_id=\{click_id\}&amount=\{amount\}&transaction_id=\{transaction_id\}&token=[0-9a-z]{32}$/,
    );
    expect(first.output).toContain(`<script async src="${first.url}/waypost.js" data-offer="off_`);

    expect(await (await fetch(`${first.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
    const auth = { authorization: `Bearer ${adminKey}` };
    const offers = (await (await fetch(`${first.url}/v1/offers`, { headers: auth })).json()) as any;
    expect(offers.data).toHaveLength(1);
    const offer = offers.data[0];
    const links: any = await (await fetch(`${first.url}/v1/offers/${offer.id}/links?publisherId=${trackingUrl.split('pub=')[1]}`, { headers: auth })).json();
    expect(links.trackingUrl).toBe(trackingUrl);
    const created = await fetch(`${first.url}/v1/publishers`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Survivor' }) });
    const survivor: any = await created.json();
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startCli(databaseUrl);
    children.push(second.child);
    expect(second.output).toContain('already has data');
    expect(field(second.output, 'Tracking URL')).toBe(trackingUrl.replace(first.url, second.url));
    expect(second.output).not.toContain('Admin API key');
    const again = await (await fetch(`${second.url}/v1/publishers/${survivor.id}`, { headers: auth })).json();
    expect(again).toEqual(survivor);
    expect((await (await fetch(`${second.url}/v1/offers/${offer.id}`, { headers: auth })).json())).toEqual(offer);
  });

  it('creates keys from the command line', PROCESS_TEST, async () => {
    const databaseUrl = await freshDatabaseUrl(backend);
    const demo = await runCli(['demo', '--database-url', databaseUrl]);
    const publisherId = /pub=(pub_[0-9a-z]+)/.exec(demo)![1]!;
    expect(await runCli(['keys', 'create', '--role', 'admin', '--database-url', databaseUrl])).toMatch(/^wp_sk_[0-9a-z]{32}$/);
    expect(await runCli(['keys', 'create', '--role', 'publisher', '--publisher', publisherId, '--database-url', databaseUrl])).toMatch(/^wp_pk_[0-9a-z]{32}$/);
    await expect(runCli(['keys', 'create', '--role', 'publisher', '--publisher', 'pub_nobody', '--database-url', databaseUrl])).rejects.toThrow(/no publisher "pub_nobody"/);
    await expect(runCli(['keys', 'create', '--role', 'root', '--database-url', databaseUrl])).rejects.toThrow(/--role must be/);
    expect(await runCli(['demo', '--database-url', databaseUrl])).toContain('already has data');
  });
});

describe('the waypost CLI configuration', () => {
  it('explains a bad configuration instead of starting', PROCESS_TEST, async () => {
    await expect(runCli(['migrate'], { WAYPOST_DATABASE_URL: 'mysql://nope' })).rejects.toThrow(/WAYPOST_DATABASE_URL: must be "file:PATH" or "postgres:\/\/…"/);
    await expect(runCli(['migrate', '--currency', 'XYZ'], { WAYPOST_DATABASE_URL: await freshDatabaseUrl('sqlite') })).rejects.toThrow(/WAYPOST_CURRENCY: unknown ISO 4217 currency "XYZ"/);
  });
});
