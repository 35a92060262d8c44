import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSTBACK_PARAM_ALIASES, POSTBACK_STATUS_ALIASES, REPORT_DIMENSIONS } from '@waypost/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonValues, readmeSection, runShellBlock, sectionBlocks, shellCommands } from '../../../scripts/test-support/readme.js';
import { MACRO_NAMES } from '../src/tracking/macros.js';
import { backends, startTestServer, TestClock, type TestServer } from './support/harness.js';

/**
 * The root README's curl commands, run as written against a real server: only the server's address and admin key
 * (`$WAYPOST_URL`, `$WAYPOST_ADMIN_KEY`, which the README sets first) and the ids that it says to copy from an earlier
 * answer (`PUBLISHER_ID`, `OFFER_ID`…) are put in. Then what the text says of each offer is checked through the API.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const README = join(ROOT, 'README.md');
const GUIDE = '## Set up an offer';
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36' };

/**
 * Runs a README shell block command by command, as a reader would, so that `onAnswer` can take a placeholder's value
 * from one command's answer for the next (the `id` of a network the block just made).
 */
async function runCommands(
  block: string,
  server: TestServer,
  placeholders: Record<string, string | undefined>,
  onAnswer: (answer: any) => void = () => {},
): Promise<{ output: string; answers: any[] }> {
  let output = '';
  const answers: any[] = [];
  for (const command of shellCommands(block)) {
    const printed = await runShellBlock(command, { env: { WAYPOST_URL: server.url, WAYPOST_ADMIN_KEY: server.adminKey, PATH }, placeholders });
    const parsed = jsonValues(printed) as any[];
    parsed.forEach(onAnswer);
    output += printed;
    answers.push(...parsed);
  }
  return { output, answers };
}

/** The curl the README's commands run: WAYPOST_CURL (its folder goes first on PATH), else curl on PATH. */
function findCurl(): string | undefined {
  const curl = process.env.WAYPOST_CURL ?? 'curl';
  return spawnSync(curl, ['--version']).status === 0 ? curl : undefined;
}
const curl = findCurl();
if (!curl) {
  // Never skipped in CI: there the README's commands must be run.
  if (process.env.CI) throw new Error('curl is needed to run the README commands (apt-get install curl, or set WAYPOST_CURL)');
  console.warn("[readme-commands] no curl here: the README's commands are not run.");
}
const PATH = curl?.includes('/') ? `${dirname(curl)}${delimiter}${process.env.PATH ?? ''}` : (process.env.PATH ?? '');

describe.runIf(!!curl).each(backends())('the README guide "Set up an offer", run on %s', (backend) => {
  let server: TestServer;
  const placeholders: Record<string, string | undefined> = {};
  const ran = new Set<string>();
  const offers: Record<string, { id: string; postbackToken: string }> = {};

  /** The one shell block of the guide that contains `marker`, run; its JSON answers. */
  async function step(marker: string): Promise<{ output: string; answers: any[] }> {
    const found = sectionBlocks(README, GUIDE, 'sh').filter((block) => block.includes(marker));
    if (found.length !== 1) throw new Error(`the guide has ${found.length} shell blocks with "${marker}", not one`);
    ran.add(found[0]!);
    return runCommands(found[0]!, server, placeholders);
  }

  /** A click from a browser (curl is a bot, which earns no CPC payout); its id. */
  async function browserClick(offerId: string): Promise<string> {
    const response = await server.request(`/c/${offerId}?pub=${placeholders.PUBLISHER_ID}`, { key: null, headers: BROWSER });
    expect(response.status).toBe(302);
    return /waypost_cid=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
  }

  const postback = (model: string, query: string) =>
    server.json(`/postback?${query}&token=${offers[model]!.postbackToken}`, { key: null });

  const report = async (offerId: string) => {
    const today = server.clock.now().toISOString().slice(0, 10);
    const { body } = await server.json(`/v1/reports?from=${today}&to=${today}&offerId=${offerId}`);
    return body.rows[0] ?? body.totals;
  };

  beforeAll(async () => {
    // The guide's report asks for this month by the machine's clock (`date -u`).
    server = await startTestServer(backend, { clock: new TestClock(new Date()) });
  });
  afterAll(() => server.close());

  it('creates the publisher, and a publisher key with the body the guide describes', async () => {
    const [publisher] = (await step('/v1/publishers')).answers;
    expect(publisher).toMatchObject({ id: expect.stringMatching(/^pub_/), name: 'Coupon Hub', status: 'active' });
    placeholders.PUBLISHER_ID = publisher.id;

    const [key] = (await step('/v1/api-keys')).answers;
    expect(key).toMatchObject({ role: 'publisher', publisherId: publisher.id, name: 'Coupon Hub', key: expect.stringMatching(/^wp_pk_/) });
    expect((await server.json(`/v1/publishers/${publisher.id}`, { key: key.key })).status).toBe(200);
    // An admin key with a publisher is refused, as the table says.
    const admin = await server.json('/v1/api-keys', { method: 'POST', json: { role: 'admin', publisherId: publisher.id } });
    expect([admin.status, admin.body.error.issues[0].path]).toEqual([422, 'publisherId']);
  });

  it('creates one offer per payout model', async () => {
    const expected = {
      cps: { name: 'Running shoes', payout: { model: 'cps', mode: 'fixed', percent: '10' }, revenue: null },
      cpa: { name: 'Bank account sign-up', payout: { model: 'cpa', mode: 'fixed', amount: '25.00' }, revenue: { mode: 'fixed', amount: '40.00' } },
      cpl: { name: 'Newsletter', payout: { model: 'cpl', mode: 'fixed', amount: '2.50', threshold: { count: 3, period: 'month' } }, revenue: null },
      cpc: { name: 'Price comparison', payout: { model: 'cpc', mode: 'fixed', amount: '0.30' }, revenue: null },
      cpm: { name: 'Banner campaign', payout: { model: 'cpm', mode: 'fixed', amount: '4.00' }, revenue: null },
    };
    for (const [model, offer] of Object.entries(expected)) {
      const [answer] = (await step(`"model": "${model}"`)).answers;
      expect(answer).toMatchObject({ ...offer, id: expect.stringMatching(/^off_/), status: 'active', currency: 'USD' });
      offers[model] = answer;
    }
    placeholders.OFFER_ID = offers.cps!.id;
    placeholders.TOKEN = offers.cps!.postbackToken;
  });

  it('lands the test click with the macros filled in, records the sale at 10% and reports it by offer and campaign', async () => {
    const landing = new URL((await step('-w ')).output.trim());
    const [click] = (await server.json(`/v1/clicks?offerId=${offers.cps!.id}`)).body.data;
    expect(`${landing.origin}${landing.pathname}`).toBe('https://shop.example.com/shoes');
    expect(Object.fromEntries(landing.searchParams)).toEqual({ click_id: click.id, utm_source: placeholders.PUBLISHER_ID, utm_campaign: 'spring-sale' });
    placeholders.CLICK_ID = landing.searchParams.get('click_id')!;

    const [accepted] = (await step('/postback?')).answers;
    expect(accepted).toEqual({ status: 'accepted', conversionId: expect.stringMatching(/^cv_/) });
    expect((await server.json(`/v1/conversions/${accepted.conversionId}`)).body).toMatchObject({ status: 'approved', amount: '120.00', payout: '12.00' });

    const [answer] = (await step('/v1/reports?')).answers;
    expect(answer.rows).toHaveLength(1);
    expect(answer.rows[0]).toMatchObject({ offerId: offers.cps!.id, sub1: 'spring-sale', clicks: 1, conversions: { total: 1, approved: 1 }, payout: '12.00' });
  });

  it('pays the CPA offer 25.00 a conversion, with 40.00 of revenue', async () => {
    const clickId = await browserClick(offers.cpa!.id);
    const { body } = await postback('cpa', `click_id=${clickId}&transaction_id=S-1`);
    expect((await server.json(`/v1/conversions/${body.conversionId}`)).body).toMatchObject({ payout: '25.00', revenue: '40.00' });
  });

  it('holds the CPL payouts as accruing until the third lead of the month, which releases all three', async () => {
    const leads = [];
    for (const n of [1, 2, 3]) {
      const { body } = await postback('cpl', `click_id=${await browserClick(offers.cpl!.id)}&transaction_id=L-${n}`);
      leads.push(body.conversionId);
      const states = await Promise.all(leads.map(async (id) => (await server.json(`/v1/conversions/${id}`)).body.payoutState));
      expect(states).toEqual(n < 3 ? leads.map(() => 'accruing') : ['payable', 'payable', 'payable']);
    }
  });

  it('pays the CPC offer 0.30 a click, and nothing for a bot such as curl', async () => {
    await browserClick(offers.cpc!.id);
    expect((await server.request(`/c/${offers.cpc!.id}?pub=${placeholders.PUBLISHER_ID}`, { key: null, headers: { 'user-agent': 'curl/8.5.0' } })).status).toBe(302);
    expect(await report(offers.cpc!.id)).toMatchObject({ clicks: 2, payout: '0.30' });
  });

  it('pays the CPM offer 4.00 per 1,000 impressions of its impression URL', async () => {
    const { body: links } = await server.json(`/v1/offers/${offers.cpm!.id}/links?publisherId=${placeholders.PUBLISHER_ID}`);
    const { pathname, search } = new URL(links.impressionUrl);
    expect(`${pathname}${search}`).toBe(`/i/${offers.cpm!.id}?pub=${placeholders.PUBLISHER_ID}`);
    for (let i = 0; i < 250; i++) expect((await server.request(`${pathname}${search}`, { key: null, headers: BROWSER })).status).toBe(200);
    expect(await report(offers.cpm!.id)).toMatchObject({ impressions: 250, payout: '1.00' });
  });

  it('ran every curl command of the guide', () => {
    expect(sectionBlocks(README, GUIDE, 'sh').filter((block) => block.includes('curl ') && !ran.has(block))).toEqual([]);
  });
});

describe.runIf(!!curl).each(backends())('the README commands of "Affiliate networks", run on %s', (backend) => {
  const SECTION = '### Affiliate networks';
  let server: TestServer;
  const placeholders: Record<string, string | undefined> = {};

  beforeAll(async () => {
    server = await startTestServer(backend);
    const offer = await server.json('/v1/offers', { method: 'POST', json: { name: 'Casino', url: 'https://casino.example.com/', payout: { model: 'cpa', amount: '40' } } });
    placeholders.OFFER_ID = offer.body.id;
  });
  afterAll(() => server.close());

  it('connects Affise from its template, points the offer at it, and hands out a postback URL with Affise\'s macros', async () => {
    const [block] = sectionBlocks(README, SECTION, 'sh').filter((text) => text.includes('"template": "affise"'));
    const { answers } = await runCommands(block!, server, placeholders, (answer) => {
      if (String(answer.id).startsWith('net_')) placeholders.NETWORK_ID ??= answer.id;
    });
    expect(answers.map((answer) => answer.error)).toEqual([undefined, undefined, undefined]);
    const [network, offer, links] = answers;
    expect(network).toMatchObject({ id: expect.stringMatching(/^net_/), clickIdParam: 'sub1' });
    expect(offer).toMatchObject({ id: placeholders.OFFER_ID, affiliateNetworkId: network.id, appendClickId: true });
    expect(links.postbackUrl).toMatch(/\/postback\?click_id=\{sub1\}&amount=\{order_sum\}&.*&token=\w+$/);

    // The tracking link now hands the network the click id in its own parameter.
    const click = await server.request(`/c/${placeholders.OFFER_ID}?pub=`, { key: null });
    expect(new URL(click.headers.get('location')!).searchParams.get('sub1')).toMatch(/^\w+$/);
  });

  it('connects ClickBank with its secret, which answers only say it has', async () => {
    const [block] = sectionBlocks(README, SECTION, 'sh').filter((text) => text.includes('"template": "clickbank"'));
    const { answers } = await runCommands(block!, server, placeholders);
    expect(answers).toEqual([expect.objectContaining({ id: expect.stringMatching(/^net_/), hasSecret: true })]);
    expect(JSON.stringify(answers)).not.toContain('YOUR_CLICKBANK_SECRET_KEY');
  });

  it('runs every curl command of the section', () => {
    expect(sectionBlocks(README, SECTION, 'sh').filter((block) => block.includes('curl ') && !/"template": "(affise|clickbank)"/.test(block))).toEqual([]);
  });
});

describe('the README guide "Set up an offer", as text', () => {
  const guide = readmeSection(README, GUIDE);

  it('explains every macro the server expands', () => {
    const missing = MACRO_NAMES.filter((name) => !guide.includes(`{${name}}`) && !/^sub[2-4]$/.test(name));
    expect(missing).toEqual([]);
    expect(guide).toContain('`{sub1}` … `{sub5}`');
  });

  it('names every report dimension that groupBy takes', () => {
    expect(REPORT_DIMENSIONS.filter((dimension) => !guide.includes(`\`${dimension}\``))).toEqual([]);
  });
});

describe('the READMEs, as text', () => {
  /** Every Markdown file of the repository that a user reads. */
  function markdownFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (entry.name.startsWith('.') || ['node_modules', 'dist', 'test-results'].includes(entry.name)) return [];
      const path = join(dir, entry.name);
      return entry.isDirectory() ? markdownFiles(path) : entry.name.endsWith('.md') ? [path] : [];
    });
  }

  it('state their rules instead of citing a specification that is not in the repository', () => {
    const citations = markdownFiles(ROOT).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) => (/\bSPEC\b|§/.test(line) || /specification|of the spec\b/i.test(line) ? [`${relative(ROOT, path)}:${index + 1}: ${line}`] : [])),
    );
    expect(citations).toEqual([]);
  });

  it('lists every postback parameter, alias and status value the server reads', () => {
    const section = readmeSection(README, '#### Postback parameters and statuses');
    const names = [...Object.values(POSTBACK_PARAM_ALIASES).flat(), ...Object.keys(POSTBACK_STATUS_ALIASES)];
    expect(names.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});
