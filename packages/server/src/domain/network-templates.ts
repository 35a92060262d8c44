import type { AffiliateNetworkTemplate } from '@waypost/schema';

/**
 * Ready network templates (README, Affiliate networks; `GET /v1/affiliate-networks/templates`), one per network or
 * tracker, sorted by name. Each is written from the documentation named in its `source`; where that documentation is
 * unclear or could not be read, the template says so in `notes` and leaves the field out rather than guess (a status it
 * does not map is refused with `unknown_status` and logged, never guessed). A network that notifies by webhook instead
 * of calling a URL (ClickBank, PartnerStack) gets its notification format from webhook support; its template carries
 * what else is known.
 *
 * To add one: read the network's postback documentation, add an object in name order with its click-id parameter, the
 * macros it fills (leave out what it cannot fill), the fixed names it posts to (`params`), its status values
 * (`statusMap`, only for values that are not already aliases), how it sends (GET, form or JSON) and the source link, then
 * add a row to test/network-templates.test.ts that fires a postback the way the documentation shows.
 */
export const NETWORK_TEMPLATES: readonly AffiliateNetworkTemplate[] = [
  // https://docs.keitaro.io/en/conversions-and-postback/integration-with-affiliate-networks/adcombo.html (AdCombo's
  // postback settings as Keitaro documents them) and https://affise.zendesk.com/hc/en-us/articles/115004551689 (the
  // clickid parameter of AdCombo's tracking URL).
  {
    key: 'adcombo',
    name: 'AdCombo',
    clickIdParam: 'clickid',
    macros: { clickId: '{clickid}', payout: '{revenue}', transactionId: '{trans_id}' },
    method: 'GET',
    notes:
      'AdCombo has one postback field per status and no status macro: paste the postback URL into each field with ' +
      '&status=approved added in "Lead" (an order confirmed by the call centre), &status=pending in "Hold" (being ' +
      'processed) and &status=rejected in "Reject" (cancelled, trash or fake). AdCombo fills no sale amount and no ' +
      'currency: payouts are read in the offer currency. Its own postback documentation is inside the AdCombo dashboard; ' +
      'this template follows the settings Keitaro documents for it.',
    source: 'https://docs.keitaro.io/en/conversions-and-postback/integration-with-affiliate-networks/adcombo.html',
  },
  // https://developers.admitad.com/ru/doc/api_en/methods/opt_codes/opt-codes-create-action/ (the macro list and the
  // status filter of a postback) and https://support.mitgo.com/hc/en-us/articles/360019365798 (GET or POST).
  {
    key: 'admitad',
    name: 'Admitad',
    clickIdParam: 'subid',
    macros: { clickId: '[[[subid]]]', amount: '[[[order_sum]]]', payout: '[[[payment_sum]]]', transactionId: '[[[order_id]]]', currency: '[[[currency]]]' },
    method: 'GET',
    notes:
      'Admitad lists no status macro for action postbacks; a postback is filtered on the action status instead (new, ' +
      'pending, accepted, rejected). Add one postback URL per status in Tools → Postback URL, with &status=pending, ' +
      '&status=approved and &status=rejected added. [[[currency]]] is the currency of the program, which both amounts use.',
    source: 'https://developers.admitad.com/ru/doc/api_en/methods/opt_codes/opt-codes-create-action/',
  },
  // https://help-center.affise.com/en/articles/6655842-affiliate-postback-macros-affiliates
  {
    key: 'affise',
    name: 'Affise',
    clickIdParam: 'sub1',
    macros: {
      clickId: '{sub1}',
      amount: '{order_sum}',
      payout: '{sum}',
      transactionId: '{transactionid}',
      status: '{status}',
      currency: '{currency}',
      event: '{goal}',
      coupon: '{promo_code}',
    },
    // Affise's values: 1 approved, 2 pending, 3 declined, 5 approved but put on hold (not yet payable).
    statusMap: { '1': 'approved', '2': 'pending', '3': 'rejected', '5': 'pending' },
    method: 'GET',
    notes:
      'Affise has no click-id macro: the click id travels in sub1 and comes back as {sub1}. Status 5 ("approved and put on ' +
      'hold") is read as pending until Affise sends 1. {currency} is the payout currency and {order_sum} is in ' +
      '{order_currency}; Waypost reads both in one currency, so remove the amount macro if an advertiser pays in another ' +
      'currency than its orders.',
    source: 'https://help-center.affise.com/en/articles/6655842-affiliate-postback-macros-affiliates',
  },
  {
    key: 'alfaleads',
    name: 'Alfaleads',
    clickIdParam: 'sub1',
    macros: { clickId: '{sub1}' },
    method: 'GET',
    notes:
      'Alfaleads documents its postback macros inside its partner dashboard, which could not be read for this template: ' +
      'it carries only the click id, sent in sub1. Add the payout, status and transaction macros that the dashboard ' +
      'lists (PATCH replaces macros whole) and a statusMap for any status value that is not one of Waypost\'s aliases.',
    source: 'https://alfaleads.com',
  },
  // https://developer.awin.com/docs/transaction-notifications and https://developer.awin.com/docs/request-types
  {
    key: 'awin',
    name: 'Awin',
    clickIdParam: 'clickref',
    macros: {
      clickId: '!!!clickRef!!!',
      amount: '!!!transactionAmount!!!',
      payout: '!!!commission!!!',
      transactionId: '!!!transactionId!!!',
      currency: '!!!transactionCurrency!!!',
    },
    method: 'GET',
    notes:
      'Awin Transaction Notifications must be enabled by Awin support; choose the GET call-back method. Awin notifies when a ' +
      'transaction is recorded; its documentation does not say that validation (approval or decline) is notified, so ' +
      'conversions take the offer\'s approval.defaultStatus (set it to pending) and are decided in Waypost. The sale amount ' +
      'is in the currency of the advertiser programme. The placeholders past !!!clickRef!!! and !!!commission!!! are named ' +
      'as Awin\'s placeholder table names them; check them against it when setting the notification up.',
    source: 'https://developer.awin.com/docs/request-types',
  },
  // https://docs.binom.org/postback-url.php (Binom's own postback: cnv_id, payout, cnv_status) and
  // https://docs.binom.org/conv-to-source-v2.php (the tokens of a traffic-source postback).
  {
    key: 'binom',
    name: 'Binom',
    clickIdParam: 'externalid',
    macros: { clickId: '{externalid}', payout: '{payout}', status: '{cnv_status}' },
    params: { click_id: 'cnv_id', currency: 'cnv_currency' },
    method: 'GET',
    notes:
      'Two ways in. As a traffic source of a Binom campaign, put the postback URL in the Binom traffic source (its External ' +
      'ID token must read the parameter Waypost appends, externalid). A network already set up with Binom\'s postback ' +
      '(click.php?cnv_id=…&payout=…&cnv_status=…&cnv_currency=…) can keep it with Waypost\'s /postback?token=… in place of ' +
      'click.php. Binom statuses are free text chosen per network: only the aliases are read, so add a statusMap for others.',
    source: 'https://docs.binom.org/postback-url.php',
  },
  // https://support.getcake.com/en/support/solutions/articles/5000546096 and
  // https://support.getcake.com/support/solutions/articles/5000545788 (the affiliate pixel tokens).
  {
    key: 'cake',
    name: 'CAKE',
    clickIdParam: 's2',
    macros: { clickId: '#s2#', payout: '#price#', transactionId: '#leadid#' },
    method: 'GET',
    notes:
      'CAKE recommends s2 for the click id (s1 is reserved for sub-affiliates; a value over 100 characters spills into s3). ' +
      '#price# is the affiliate payout and #leadid# CAKE\'s own conversion id. CAKE has no sale-amount, currency or status ' +
      'token for affiliate pixels, and does not document postbacks for reversals.',
    source: 'https://support.getcake.com/en/support/solutions/articles/5000546096',
  },
  // https://support.clickbank.com/hc/en-us/articles/220376507-Instant-Notification-Service-INS
  {
    key: 'clickbank',
    name: 'ClickBank',
    clickIdParam: 'tid',
    macros: {},
    // transactionType values: SALE, BILL (a rebill of a recurring product), RFND (refund), CGBK (chargeback).
    statusMap: { SALE: 'approved', BILL: 'rebill', RFND: 'rejected', CGBK: 'rejected' },
    method: 'json',
    format: 'clickbank',
    notes:
      'ClickBank notifies by Instant Notification (version 6.0 or later: an encrypted JSON POST), not by a URL with macros. ' +
      'Set the network\'s secret to the account\'s secret key (Settings → My Site → Advanced Tools) and enter ' +
      'https://YOUR-WAYPOST/postback/NETWORK_ID as the Instant Notification URL. The click id goes out as the hoplink\'s tid ' +
      'and comes back among the notification\'s tracking codes. SALE is approved, BILL a rebill, RFND, CGBK and INSF ' +
      'rejected; the TEST types answer 200 and record nothing, and the other types (CANCEL-REBILL, UNCANCEL-REBILL…) are ' +
      'logged as ignored. The receipt is the transaction id. The sale amount is totalOrderAmount in the order\'s currency; ' +
      'totalAccountAmount is read as the payout in an affiliate account\'s notification for an order in US dollars.',
    source: 'https://support.clickbank.com/hc/en-us/articles/220376507-Instant-Notification-Service-INS',
  },
  // https://help.clickflare.io/en/tracking/how-to-configure-a-traffic-source-s2s-postback-url (tokens of a traffic-source
  // postback) and https://help.clickflare.io/en/tracking/click-flare-parameters-in-postback-urls (its own postback).
  {
    key: 'clickflare',
    name: 'ClickFlare',
    clickIdParam: 'externalid',
    macros: { clickId: '{externalid}', payout: '{payout}', transactionId: '{transaction.id}' },
    params: { event: 'ct' },
    method: 'GET',
    notes:
      'As a traffic source of a ClickFlare campaign: map the parameter Waypost appends (externalid) to the click id in the ' +
      'ClickFlare traffic source, and put the postback URL there. A network set up with ClickFlare\'s own postback ' +
      '(cf/cv?click_id=…&payout=…&txid=…&ct=…) can keep it with Waypost\'s /postback?token=… in place of cf/cv: ct is ' +
      'read as the event. ClickFlare sends no status or currency.',
    source: 'https://help.clickflare.io/en/tracking/how-to-configure-a-traffic-source-s2s-postback-url',
  },
  // https://help.digistore24.com/hc/en-us/articles/24293197806225-Set-up-S2S-postback and
  // https://docs.digistore24.com/knowledge-base/s2s-postback/ (the S2S postback placeholders).
  {
    key: 'digistore24',
    name: 'Digistore24',
    clickIdParam: 'cid',
    macros: { clickId: '{cid}', amount: '{amount_netto}', payout: '{amount_affiliate}', currency: '{currency}', status: '{transaction_type}' },
    statusMap: { payment: 'approved', refund: 'rejected', chargeback: 'rejected' },
    method: 'GET',
    notes:
      'Set up under Account → S2S postback (affiliates) or Settings → IPN (vendors), with the payment, refund and ' +
      'chargeback events ticked. {transaction_type} is read as the status, with the values of Digistore24\'s event ' +
      'names (payment, refund, chargeback); others (missed payments, rebilling changes) are refused until mapped. The ' +
      'sale amount is the net one ({amount_netto}). No transaction id is asked for: Digistore24 does not say that a refund ' +
      'carries the payment\'s transaction id, and without one a refund for the same click reverses its conversion. ' +
      '{country} is a country name, not a code, so it is not read.',
    source: 'https://docs.digistore24.com/knowledge-base/s2s-postback/',
  },
  // https://helpdesk.everflow.io/collaborator/managing-postbacks-as-a-partner and
  // https://helpdesk.everflow.io/en/articles/6173403-a-guide-to-parameters-and-macros
  {
    key: 'everflow',
    name: 'Everflow',
    clickIdParam: 'sub1',
    macros: { clickId: '{sub1}', amount: '{sale_amount}', payout: '{payout}', event: '{event_name}' },
    method: 'GET',
    notes:
      'Pass the click id in sub1 (sub1–sub10 all come back). Set up a Conversion postback, and an Event postback for later ' +
      'events, which arrive with their name. Everflow\'s {transaction_id} is its click id, shared by a click\'s events, so ' +
      'it is not used as the transaction id. Everflow documents no status or currency macro for partner postbacks, and no ' +
      'partner postback for reversals.',
    source: 'https://helpdesk.everflow.io/collaborator/managing-postbacks-as-a-partner',
  },
  // https://help.impact.com/en/support/solutions/articles/155000000882-enable-action-clearing-events-notifications and
  // https://integrations.impact.com/impact-brand/reference/enable-postbacks (GET recommended; POST with a form or JSON body).
  {
    key: 'impact',
    name: 'Impact',
    clickIdParam: 'subId1',
    macros: {
      clickId: '{SubId1}',
      amount: '{Amount}',
      payout: '{Payout}',
      transactionId: '{ActionId}',
      status: '{Status}',
      currency: '{Currency}',
    },
    statusMap: { PENDING: 'pending', APPROVED: 'approved', REVERSED: 'rejected' },
    method: 'GET',
    notes:
      'Impact macros are case-sensitive ({SubId1}, not {subid1}). Action lifecycle notifications fire when an action is ' +
      'tracked, modified and reversed, so a reversal arrives with status REVERSED. GET is Impact\'s recommended method; a ' +
      'POST with a form or JSON body using the same macros works too.',
    source: 'https://integrations.impact.com/impact-brand/reference/enable-postbacks',
  },
  // https://docs.keitaro.io/ru/campaigns-and-streams/s2s-postback-placeholders.html
  {
    key: 'keitaro',
    name: 'Keitaro',
    clickIdParam: 'external_id',
    macros: { clickId: '{external_id}', payout: '{revenue}', transactionId: '{tid}', status: '{status}' },
    method: 'GET',
    notes:
      'For Waypost as a traffic source of a Keitaro campaign: the campaign\'s External ID parameter must read the parameter ' +
      'Waypost appends (external_id), and the postback URL goes into the campaign\'s S2S postback. Keitaro\'s statuses ' +
      '(lead, sale, rejected, rebill) are Waypost aliases. Keitaro sends no currency macro: revenue is read in the offer ' +
      'currency. A network set up with Keitaro\'s own postback (postback?subid=…&payout=…&status=…&tid=…) can keep it with ' +
      'Waypost\'s /postback?token=…: those names are aliases too.',
    source: 'https://docs.keitaro.io/ru/campaigns-and-streams/s2s-postback-placeholders.html',
  },
  {
    key: 'maxbounty',
    name: 'MaxBounty',
    clickIdParam: 's1',
    macros: { clickId: '#S1#', payout: '#RATE#', transactionId: '#LEADID#' },
    method: 'GET',
    notes:
      'MaxBounty documents its postback tokens inside the affiliate dashboard, which could not be read for this template: ' +
      'check the tokens above (#S1#–#S5#, #RATE#, #LEADID#) against its list. No sale-amount, currency or status token is ' +
      'known, so payouts are read in the offer currency and reversals are not notified.',
    source: 'https://www.maxbounty.com',
  },
  // https://docs.partnerstack.com/docs/postbacks
  {
    key: 'partnerstack',
    name: 'PartnerStack',
    clickIdParam: 'ps_xid',
    macros: {},
    method: 'json',
    format: 'partnerstack',
    notes:
      'PartnerStack notifies partners by a JSON POST of events (action_created, action_updated, reward_created, …) to a ' +
      'postback registered at dash.partnerstack.com/settings/postbacks, not by a URL with macros. Its documentation names no ' +
      'signature for postbacks, only the endpoint URL: set the network\'s secret to a random string of 16 characters or more ' +
      'and register https://YOUR-WAYPOST/postback/NETWORK_ID?token=SECRET. Reward events are read (the reward\'s key as the ' +
      'transaction id, its amount in US cents as the payout, hold and pending as pending, approved and paid as approved, ' +
      'declined as rejected); the test event answers 200 and records nothing, and other events are logged as ignored. The ' +
      'click-id parameter of its partner links (ps_xid) is not in the postback documentation either, so Waypost looks for ' +
      'its click id among the values of the event: check against your link that it comes back.',
    source: 'https://docs.partnerstack.com/docs/postbacks',
  },
  // https://helpdesk.everflow.io/en/articles/6272748-rakuten-postback-setup (Rakuten's postback as Everflow documents it).
  {
    key: 'rakuten',
    name: 'Rakuten Advertising',
    clickIdParam: 'u1',
    macros: {},
    params: { click_id: 'u1' },
    method: 'GET',
    notes:
      'Rakuten posts to fixed names and fills no macros: postbacks are set up on request by Rakuten support (up to 10 days) ' +
      'and send the u1 value of the click and the sale value as amount. Give them the postback URL, which then carries only ' +
      'the token. Rakuten\'s publisher documentation of the postback is not public; this template follows Everflow\'s.',
    source: 'https://helpdesk.everflow.io/en/articles/6272748-rakuten-postback-setup',
  },
  // https://help.redtrack.io/knowledgebase/kb/basic-setup-9785/supported-dynamic-parameters/%d1%81lick-id-parameter/ and
  // https://docs.redtrack.io/knowledgebase/tracking-event-types/ (statuses and conversion types).
  {
    key: 'redtrack',
    name: 'RedTrack',
    clickIdParam: 'clickid',
    macros: {},
    params: { payout: 'sum', event: 'type' },
    method: 'GET',
    notes:
      'For networks set up with RedTrack\'s postback (postback?clickid=…&sum=…&status=…&type=…): keep it with Waypost\'s ' +
      '/postback?token=… in place of RedTrack\'s domain and path. sum is read as the payout and type as the event; ' +
      'RedTrack\'s statuses Approved, Pending and Declined are aliases, while "Other" (no status) is refused until mapped.',
    source: 'https://docs.redtrack.io/knowledgebase/tracking-event-types/',
  },
  // http://www.shortywp.com/shareasale-postback-s2s-tracking-implementation/ (ShareASale support's list of macros) and
  // https://docs.anytrack.io/affiliate-networks-integrations/shareasale (the !!macro!! syntax).
  {
    key: 'shareasale',
    name: 'ShareASale',
    clickIdParam: 'afftrack',
    macros: { clickId: '!!afftrack!!', amount: '!!amountOfSale!!', payout: '!!commission!!', transactionId: '!!transID!!', event: '!!transtype!!' },
    method: 'GET',
    notes:
      'ShareASale sets postbacks up on request through its support, by GET or POST, and documents them only in that reply. ' +
      'It sends no status and no currency, and no postback for voided transactions.',
    source: 'http://www.shortywp.com/shareasale-postback-s2s-tracking-implementation/',
  },
  // https://docs.tracklysms.com/integrations/tune and https://docs.tealium.com/server-side-connectors/tune-postback-tracking-connector
  {
    key: 'tune',
    name: 'TUNE (HasOffers)',
    clickIdParam: 'aff_sub',
    macros: { clickId: '{aff_sub}', amount: '{sale_amount}', payout: '{payout}', event: '{goal_id}' },
    method: 'GET',
    notes:
      'Pass the click id in aff_sub (aff_sub2–aff_sub5 also come back). TUNE\'s {transaction_id} is its click id, shared ' +
      'by every goal of a click, so goals are told apart by {goal_id} instead. TUNE\'s affiliate postback documentation is ' +
      'behind its login; this template follows integrations that document it, and no status or currency macro is used.',
    source: 'https://docs.tracklysms.com/integrations/tune',
  },
  // https://doc.voluum.com/en/traffic_source_postback_url.html and https://doc.voluum.com/en/tracking_conversions_postback.html
  {
    key: 'voluum',
    name: 'Voluum',
    clickIdParam: 'externalid',
    macros: { clickId: '{externalid}', payout: '{payout}' },
    params: { event: 'et' },
    method: 'GET',
    notes:
      'As a traffic source of a Voluum campaign: map the parameter Waypost appends (externalid) to the External ID of the ' +
      'Voluum traffic source and put the postback URL there. A network set up with Voluum\'s postback ' +
      '(postback?cid=…&payout=…&txid=…&currency=…&et=…) can keep it with Waypost\'s /postback?token=…: et is read as the ' +
      'event, the other names are aliases.',
    source: 'https://doc.voluum.com/en/traffic_source_postback_url.html',
  },
];

export function findNetworkTemplate(key: string): AffiliateNetworkTemplate | undefined {
  return NETWORK_TEMPLATES.find((template) => template.key === key);
}
