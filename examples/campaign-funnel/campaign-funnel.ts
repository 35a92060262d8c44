// A media buyer's paid-traffic funnel with the Node SDK: a traffic source that is told of each conversion, a lander,
// the network's offer it sells and a campaign that sends the source's visitors through the lander to the offer. Prints
// the three URLs to hand out: the campaign URL for the traffic source, the lander's call to action and the offer's
// postback URL for the network.
import { Waypost } from '@waypost/node';

const waypost = new Waypost({ apiKey: env('WAYPOST_ADMIN_KEY'), baseUrl: env('WAYPOST_URL') });

// The source fills `{clickid}` and `{zoneid}` in the campaign URL; Waypost keeps its click id as the visit's
// externalId and calls the source's postback URL with it on each conversion, so the source can optimise.
const source = await waypost.trafficSources.create({
  name: 'PushNet',
  params: [
    { field: 'externalId', param: 'cid', macro: '{clickid}' },
    { field: 'sub1', param: 'zone', macro: '{zoneid}' },
  ],
  postbackUrl: process.env.SOURCE_POSTBACK_URL ?? 'https://postback.pushnet.example/conversion?cid={external_id}&payout={payout}',
});

// The lander's URL gets the visit's click URL in `next`: the page's call to action links there.
const lander = await waypost.landers.create({
  name: 'Quiz',
  url: process.env.LANDER_URL ?? 'https://lander.example.com/quiz?next={click_url}',
});

// What the network pays per sale. The buyer's own traffic has no publisher, so this is revenue, not a payout.
const offer = await waypost.offers.create({
  name: 'VPN trial',
  url: process.env.OFFER_URL ?? 'https://network.example/offer?click_id={click_id}',
  payout: { model: 'cpa', amount: '4.00' },
});

// Every visit costs 0.05 (CPC); everyone goes through the lander to the offer.
const campaign = await waypost.campaigns.create({
  name: 'PushNet US',
  alias: 'pushnet-us',
  trafficSourceId: source.id,
  cost: { model: 'cpc', amount: '0.05' },
  streams: [{ name: 'Everyone', action: { type: 'flow', landers: [{ landerId: lander.id }], offers: [{ offerId: offer.id }] } }],
});

const links = await waypost.campaigns.links(campaign.id);
const offerLinks = await waypost.offers.links(offer.id);
console.log(`campaign URL: ${links.campaignUrl}`);
console.log(`lander call to action: ${links.clickUrl}`);
console.log(`network postback URL: ${offerLinks.postbackUrl}`);

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see README.md)`);
  return value;
}
