// Validate a conversion the way the server and the Node SDK do, before anything is sent.
import { CreateConversionParamsSchema, formatMoney, parseMoney, toErrorIssues } from '@waypost/schema';

const good = CreateConversionParamsSchema.parse({ clickId: 'c0ffee00c0ffee00', amount: 49.9, currency: 'eur' });
console.log(good.amount, good.currency); // "49.9" "EUR"

const minor = parseMoney(good.amount!, good.currency!);
console.log(minor); // { ok: true, minor: 4990 }
console.log(formatMoney(4990, 'EUR'), formatMoney(1500, 'JPY'), formatMoney(12345, 'KWD')); // 49.90 1500 12.345

const bad = CreateConversionParamsSchema.safeParse({ clickId: 'c0ffee00c0ffee00', amount: '12.345', currency: 'USD' });
console.log(toErrorIssues(bad.error!)); // [{ path: 'amount', code: 'custom', message: 'has more than 2 decimal places, the most USD allows' }]
