import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEcbRates, ratesInAccountCurrency } from '../../src/fx/ecb.js';

// A copy of the European Central Bank's eurofxref-daily.xml of 8 July 2022, as the ECB serves it (single quotes).
const DAILY = readFileSync(new URL('../support/eurofxref-daily.xml', import.meta.url), 'utf8');
const feed = (cubes: string) => `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube>${cubes}</Cube>
</gesmes:Envelope>`;

describe('parseEcbRates', () => {
  it("reads the day and every rate of the ECB's daily file, leaving out a code that is no longer a currency", () => {
    const { time, perEuro } = parseEcbRates(DAILY);
    expect(time).toBe('2022-07-08');
    expect(perEuro).toMatchObject({ USD: '1.0163', JPY: '138.05', GBP: '0.84585', IDR: '15210.73', ZAR: '17.1922' });
    // The kuna gave way to the euro in 2023: not an ISO 4217 currency any more.
    expect(perEuro).not.toHaveProperty('HRK');
    expect(Object.keys(perEuro)).toHaveLength(30);
  });

  it('reads attributes in double quotes as well as single ones', () => {
    expect(parseEcbRates(feed('<Cube time="2026-03-02"><Cube currency="USD" rate="1.0876"/><Cube currency=\'JPY\' rate=\'161.2\' /></Cube>'))).toEqual({
      time: '2026-03-02',
      perEuro: { USD: '1.0876', JPY: '161.2' },
    });
  });

  it('takes the newest day of a file with several, as the 90-day file has', () => {
    const days = "<Cube time='2026-03-02'><Cube currency='USD' rate='1.09'/></Cube><Cube time='2026-02-27'><Cube currency='USD' rate='1.08'/></Cube>";
    expect(parseEcbRates(feed(days))).toEqual({ time: '2026-03-02', perEuro: { USD: '1.09' } });
  });

  it.each([
    { title: 'a rate outside a dated Cube', xml: feed("<Cube currency='USD' rate='1.09'/>"), error: /outside a dated Cube/ },
    { title: 'a rate that is not a positive decimal', xml: feed("<Cube time='2026-03-02'><Cube currency='USD' rate='1,09'/></Cube>"), error: /rate of USD, "1,09"/ },
    { title: 'a zero rate', xml: feed("<Cube time='2026-03-02'><Cube currency='USD' rate='0.0'/></Cube>"), error: /not a positive decimal/ },
    { title: 'a code that is not one', xml: feed("<Cube time='2026-03-02'><Cube currency='usd' rate='1.09'/></Cube>"), error: /"usd" is not a currency code/ },
    { title: 'a day that is not one', xml: feed("<Cube time='March 2'><Cube currency='USD' rate='1.09'/></Cube>"), error: /day "March 2"/ },
    { title: 'a file cut short', xml: DAILY.slice(0, DAILY.indexOf('</Cube>')), error: /ends inside a Cube/ },
    { title: 'a page that is not the feed', xml: '<!doctype html><html><body>Moved</body></html>', error: /no rates/ },
    { title: 'a feed without a rate', xml: feed("<Cube time='2026-03-02'></Cube>"), error: /no rates/ },
  ])('refuses $title, naming what is wrong', ({ xml, error }) => {
    expect(() => parseEcbRates(xml)).toThrow(error);
  });
});

describe('ratesInAccountCurrency', () => {
  const rates = parseEcbRates(DAILY);

  it('crosses each rate through the euro into a USD account, the euro included', () => {
    const usd = ratesInAccountCurrency(rates, 'USD');
    // 1.0163 USD for one euro; 1.0163 / 0.84585 USD for one pound; 1.0163 / 138.05 for one yen.
    expect(usd).toMatchObject({ EUR: '1.0163', GBP: '1.2015132707', JPY: '0.0073618254', IDR: '0.0000668147' });
    expect(usd).not.toHaveProperty('USD');
    expect(Object.keys(usd)).toHaveLength(30);
  });

  it('inverts the rates for a euro account', () => {
    const eur = ratesInAccountCurrency(rates, 'EUR');
    expect(eur).toMatchObject({ USD: '0.9839614287', GBP: '1.1822427144' });
    expect(eur).not.toHaveProperty('EUR');
  });

  it('refuses an account currency the feed has no rate for, naming WAYPOST_CURRENCY', () => {
    expect(() => ratesInAccountCurrency(rates, 'AED')).toThrow(/no rate for the account currency AED \(WAYPOST_CURRENCY\)/);
  });
});
