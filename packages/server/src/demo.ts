import { CreateOfferParamsSchema, CreatePublisherParamsSchema, type Offer, type OfferLinks, type Publisher } from '@waypost/schema';
import type { AppContext } from './context.js';
import { generatePassword } from './accounts/passwords.js';
import { createUser } from './accounts/users.js';
import { createApiKey } from './keys.js';
import { offerLinks } from './links.js';
import { newOffer, newPublisher } from './records.js';

export const DEMO_OFFER_NAME = 'Demo offer';
/** The first owner's e-mail on a new database; change it in the console's Settings or with `PATCH /v1/users/:id`. */
export const FIRST_OWNER_EMAIL = 'owner@example.com';

export interface DemoSeed {
  /** Only present when this call created the keys: secrets are stored hashed and cannot be shown again. */
  adminKey?: string;
  publisherKey?: string;
  /** The owner made on the empty database, with its generated password, shown only this once. */
  owner?: { email: string; password: string };
  /** Where the console signs in: `PUBLIC_URL/app/`. */
  consoleUrl: string;
  offer: Offer;
  publisher: Publisher;
  links: OfferLinks;
}

/**
 * Seeds a demo publisher, a CPA offer and two keys on an empty database. On a database that already has data it
 * creates nothing and returns the demo offer's links when the demo offer exists, else undefined.
 */
export async function seedDemo(context: AppContext): Promise<DemoSeed | undefined> {
  const { store, config, clock } = context;
  if (!(await store.isEmpty())) {
    const offer = (await store.offers.list({ q: DEMO_OFFER_NAME }, { limit: 1 })).data[0];
    const publisher = (await store.publishers.list({ q: 'Demo publisher' }, { limit: 1 })).data[0];
    if (!offer || !publisher) return undefined;
    return { offer, publisher, consoleUrl: `${config.publicUrl}/app/`, links: offerLinks(config.publicUrl, offer, undefined, publisher.id) };
  }
  const publisher = newPublisher(CreatePublisherParamsSchema.parse({ name: 'Demo publisher', email: 'publisher@example.com' }), clock.now());
  await store.publishers.insert(publisher);
  const offer = newOffer(
    CreateOfferParamsSchema.parse({
      name: DEMO_OFFER_NAME,
      url: 'https://example.com/?click_id={click_id}&pub={publisher_id}&sub1={sub1}',
      leadType: 'Demo',
      payout: { model: 'cpa', amount: '12.50' },
      revenue: { amount: '20.00' },
      tags: ['demo'],
      notes: 'Created by `waypost demo`.',
      directTracking: true,
    }),
    { currency: config.currency, now: clock.now(), workspaceId: (await store.workspaces.first()).id },
  );
  await store.offers.insert(offer);
  const admin = await createApiKey(context, { role: 'admin', name: 'demo admin' });
  const publisherKey = await createApiKey(context, { role: 'publisher', publisherId: publisher.id, name: 'demo publisher' });
  const owner = { email: FIRST_OWNER_EMAIL, password: generatePassword() };
  await createUser(context, { email: owner.email, name: 'Owner', role: 'owner', password: owner.password });
  return {
    adminKey: admin.key,
    publisherKey: publisherKey.key,
    owner,
    consoleUrl: `${config.publicUrl}/app/`,
    offer,
    publisher,
    links: offerLinks(config.publicUrl, offer, undefined, publisher.id),
  };
}

export function formatDemo(seed: DemoSeed): string {
  const lines = [
    seed.adminKey ? 'Seeded a demo offer, publisher, API keys and the owner who signs in to the console.' : 'The database already has data; the demo offer:',
    '',
  ];
  if (seed.owner) {
    lines.push(`  Console:            ${seed.consoleUrl}`, `  Owner e-mail:       ${seed.owner.email}`, `  Owner password:     ${seed.owner.password}`);
  }
  if (seed.adminKey) lines.push(`  Admin API key:      ${seed.adminKey}`, `  Publisher API key:  ${seed.publisherKey}`);
  lines.push(
    `  Offer:              ${seed.offer.name} (${seed.offer.id})`,
    `  Publisher:          ${seed.publisher.name} (${seed.publisher.id})`,
    `  Tracking URL:       ${seed.links.trackingUrl}`,
    `  Postback URL:       ${seed.links.postbackUrl}`,
    `  Lander snippet:     ${seed.links.directTrackingSnippet ?? seed.links.landerSnippet}`,
    `  Thank-you snippet:  ${seed.links.conversionSnippet}`,
  );
  if (!seed.adminKey) {
    lines.push(
      `  Console:            ${seed.consoleUrl}`,
      '',
      '  API keys and passwords are stored hashed; make another key with: waypost keys create --role admin',
      '  and set a forgotten password with: waypost users reset-password --email E',
    );
  }
  return lines.join('\n');
}
