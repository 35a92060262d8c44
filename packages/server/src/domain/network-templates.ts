import type { AffiliateNetworkTemplate } from '@waypost/schema';

/**
 * Ready network templates (SPEC §4, `GET /v1/affiliate-networks/templates`), one per network or tracker, sorted by
 * name. Each is written from the documentation named in its `source`; where that documentation is unclear or could not
 * be read, the template says so in `notes` and leaves the field out rather than guess (a status it does not map is
 * refused with `unknown_status` and logged, never guessed). A network that notifies by webhook instead of calling a URL
 * (ClickBank, PartnerStack) gets its notification format from webhook support; its template carries what else is known.
 *
 * To add one: read the network's postback documentation, add an object in name order with its click-id parameter, the
 * macros it fills (leave out what it cannot fill), the fixed names it posts to (`params`), its status values
 * (`statusMap`, only for values that are not already aliases), how it sends (GET, form or JSON) and the source link, then
 * add a row to test/network-templates.test.ts that fires a postback the way the documentation shows.
 */
export const NETWORK_TEMPLATES: readonly AffiliateNetworkTemplate[] = [];

export function findNetworkTemplate(key: string): AffiliateNetworkTemplate | undefined {
  return NETWORK_TEMPLATES.find((template) => template.key === key);
}
