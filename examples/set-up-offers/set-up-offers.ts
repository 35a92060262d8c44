// Creates a publisher and one offer of each payout model with the Node SDK, then prints each offer's tracking link
// for that publisher: the curl commands of the README's "Set up an offer", in TypeScript.
import { Waypost } from '@waypost/node';

const waypost = new Waypost({ apiKey: env('WAYPOST_ADMIN_KEY'), baseUrl: env('WAYPOST_URL') });

const publisher = await waypost.publishers.create({ name: 'Coupon Hub' });

const offers = [
  // 10% of each sale; the shop reads the click id and the publisher's sub1 from its URL.
  await waypost.offers.create({
    name: 'Running shoes',
    url: 'https://shop.example.com/shoes?click_id={click_id}&utm_source={publisher_id}&utm_campaign={sub1}',
    payout: { model: 'cps', percent: '10' },
  }),
  // 25.00 per sign-up, for which the advertiser pays 40.00.
  await waypost.offers.create({
    name: 'Bank account sign-up',
    url: 'https://bank.example.com/open?ref={click_id}',
    payout: { model: 'cpa', amount: '25.00' },
    revenue: { amount: '40.00' },
  }),
  // 2.50 per lead, paid only once the publisher brings 3 leads in a calendar month.
  await waypost.offers.create({
    name: 'Newsletter',
    url: 'https://news.example.com/join?cid={click_id}',
    leadType: 'newsletter',
    payout: { model: 'cpl', amount: '2.50', threshold: { count: 3, period: 'month' } },
  }),
  // 0.30 per click that is not a bot's.
  await waypost.offers.create({
    name: 'Price comparison',
    url: 'https://compare.example.com/?src={publisher_id}&sub={sub1}',
    payout: { model: 'cpc', amount: '0.30' },
  }),
  // 4.00 per 1,000 impressions that are not a bot's.
  await waypost.offers.create({
    name: 'Banner campaign',
    url: 'https://brand.example.com/',
    payout: { model: 'cpm', amount: '4.00' },
  }),
];

for (const offer of offers) {
  const links = await waypost.offers.links(offer.id, { publisherId: publisher.id });
  console.log(`${offer.payout.model} ${offer.name}: ${offer.payout.model === 'cpm' ? links.impressionUrl : links.trackingUrl}`);
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see README.md)`);
  return value;
}
