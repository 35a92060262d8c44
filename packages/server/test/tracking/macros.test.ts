import { describe, expect, it } from 'vitest';
import { appendQueryParam, expandMacros, expandUrl, MACRO_NAMES } from '../../src/tracking/index.js';

const encoded = { encode: true };
const plain = { encode: false };

describe('expandMacros', () => {
  it.each(MACRO_NAMES.map((name) => [name]))('expands {%s}', (name) => {
    expect(expandMacros(`https://x.test/?v={${name}}`, { [name]: `${name} value` }, encoded)).toBe(
      `https://x.test/?v=${name}%20value`,
    );
  });

  it.each([
    { title: 'encodes a space', value: 'a b', out: 'a%20b' },
    { title: 'encodes "&" and "="', value: 'a&b=c', out: 'a%26b%3Dc' },
    { title: 'encodes "#" and "?"', value: '#top?x', out: '%23top%3Fx' },
    { title: 'encodes "/" and "%"', value: '50%/off', out: '50%25%2Foff' },
    { title: 'encodes unicode as UTF-8', value: 'Zürich 東京', out: 'Z%C3%BCrich%20%E6%9D%B1%E4%BA%AC' },
    { title: 'encodes braces, so no brace reaches the URL', value: '{click_id}', out: '%7Bclick_id%7D' },
    { title: 'writes a number as is', value: 42.5, out: '42.5' },
    { title: 'writes zero, which is not empty', value: 0, out: '0' },
    { title: 'expands an empty value to nothing', value: '', out: '' },
    { title: 'expands null to nothing', value: null, out: '' },
    { title: 'expands undefined to nothing', value: undefined, out: '' },
  ])('$title', ({ value, out }) => {
    expect(expandMacros('?sub1={sub1}', { sub1: value }, encoded)).toBe(`?sub1=${out}`);
  });

  it.each([
    { title: 'expands a macro in the path', template: 'https://x.test/{offer_id}/land', out: 'https://x.test/o%2F1/land' },
    { title: 'expands a macro in the query', template: 'https://x.test/?o={offer_id}&c={click_id}', out: 'https://x.test/?o=o%2F1&c=c1' },
    { title: 'expands a macro in the fragment', template: 'https://x.test/#c={click_id}', out: 'https://x.test/#c=c1' },
    { title: 'matches names in any case', template: '?c={CLICK_ID}&o={Offer_Id}', out: '?c=c1&o=o%2F1' },
    { title: 'tolerates spaces inside the braces', template: '?c={ click_id }', out: '?c=c1' },
    { title: 'expands a macro twice', template: '{click_id}-{click_id}', out: 'c1-c1' },
    { title: 'expands an unknown macro to nothing', template: '?x={aff_sub}&c={click_id}', out: '?x=&c=c1' },
    { title: 'expands a macro without a value to nothing', template: '?s={sub2}', out: '?s=' },
    { title: 'expands a percent-encoded macro', template: '?c=%7Bclick_id%7D&d=%7bdevice%7d', out: '?c=c1&d=' },
    { title: 'drops empty braces', template: '?a={}&b=%7B%7D', out: '?a=&b=' },
    { title: 'drops stray braces', template: '?a=}x&b={', out: '?a=x&b=' },
    { title: 'drops an unknown placeholder whole, whatever it holds', template: '?a={click_id&b=}&c={click_id}', out: '?a=&c=c1' },
    { title: 'expands a macro inside doubled braces', template: '?c={{click_id}}', out: '?c=c1' },
    { title: 'never expands a value passed under a name that is not a macro', template: '?t={token}', out: '?t=' },
  ])('$title', ({ template, out }) => {
    expect(expandMacros(template, { click_id: 'c1', offer_id: 'o/1', token: 'secret' }, encoded)).toBe(out);
  });

  it('takes value names in any case', () => {
    expect(expandMacros('{click_id}', { CLICK_ID: 'c1' }, encoded)).toBe('c1');
  });

  it('never expands a value a second time', () => {
    expect(expandMacros('{sub1}', { sub1: '{click_id}', click_id: 'c1' }, plain)).toBe('{click_id}');
  });

  it('inserts values verbatim without encoding, for e-mail text', () => {
    expect(expandMacros('Sale of {amount} {currency} ({coupon})', { amount: '49.90', currency: 'EUR', coupon: 'A&B' }, plain)).toBe(
      'Sale of 49.90 EUR (A&B)',
    );
  });

  it('leaves no brace in any expansion of a template full of placeholders', () => {
    const template = 'https://x.test/{offer_id}/{nope}?{}={sub1}&%7Bsub2%7D#{{click_id}}}{';
    const url = expandMacros(template, { offer_id: '{', sub1: '}', sub2: '{x}', click_id: '{{' }, encoded);
    expect(url).not.toMatch(/[{}]/);
  });
});

describe('appendQueryParam', () => {
  it.each([
    { title: 'starts a query', url: 'https://x.test/land', out: 'https://x.test/land?wp_cid=a%20b' },
    { title: 'adds to an existing query', url: 'https://x.test/land?a=1', out: 'https://x.test/land?a=1&wp_cid=a%20b' },
    { title: 'adds to an empty query', url: 'https://x.test/land?', out: 'https://x.test/land?wp_cid=a%20b' },
    { title: 'adds after a trailing "&"', url: 'https://x.test/land?a=1&', out: 'https://x.test/land?a=1&wp_cid=a%20b' },
    { title: 'keeps a fragment last', url: 'https://x.test/land#top', out: 'https://x.test/land?wp_cid=a%20b#top' },
    { title: 'keeps a fragment after an existing query', url: 'https://x.test/?a=1#x?y', out: 'https://x.test/?a=1&wp_cid=a%20b#x?y' },
  ])('$title', ({ url, out }) => {
    expect(appendQueryParam(url, 'wp_cid', 'a b')).toBe(out);
  });

  it('encodes the name and the value', () => {
    expect(appendQueryParam('https://x.test/', 'a&b', 'c=d#e')).toBe('https://x.test/?a%26b=c%3Dd%23e');
  });
});

describe('expandUrl', () => {
  it('expands and encodes an offer URL', () => {
    expect(expandUrl('https://shop.test/p?cid={click_id}&s1={sub1}', { click_id: 'c1', sub1: 'fb ads' })).toBe(
      'https://shop.test/p?cid=c1&s1=fb%20ads',
    );
  });

  it.each([
    { title: 'an empty result', template: '{offer_static_url}' },
    { title: 'a result that is not a URL', template: '{click_id}' },
    { title: 'a javascript: URL', template: 'javascript:alert({click_id})' },
    { title: 'an ftp URL', template: 'ftp://files.test/{click_id}' },
  ])('gives null for $title', ({ template }) => {
    expect(expandUrl(template, { click_id: 'c1', offer_static_url: 'https://shop.test/' })).toBeNull();
  });
});
