import { Waypost } from '@waypost/node';

const waypost = new Waypost({ apiKey: process.env.WAYPOST_API_KEY!, baseUrl: process.env.WAYPOST_BASE_URL! });

/** A sale taken over the phone: there is no click, so name the publisher and the offer that earned it. */
export async function recordPhoneOrder(order: { id: string; total: string; publisherId: string; offerId: string }) {
  const conversion = await waypost.transactions.create({
    publisherId: order.publisherId,
    offerId: order.offerId,
    amount: order.total,
    currency: 'USD',
    transactionId: order.id,
    note: 'phone order',
  });
  return { conversionId: conversion.id, status: conversion.status, payout: `${conversion.payout} ${conversion.offerCurrency}` };
}
