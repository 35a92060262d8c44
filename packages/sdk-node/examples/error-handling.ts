import { isWaypostError, Waypost, WaypostConnectionError, WaypostRateLimitError, WaypostValidationError } from '@waypost/node';

const waypost = new Waypost({ apiKey: process.env.WAYPOST_API_KEY!, baseUrl: process.env.WAYPOST_BASE_URL! });

export async function reportSale(sale: { orderId: string; clickId: string; amount: string; currency: string }) {
  try {
    const result = await waypost.conversions.create({
      clickId: sale.clickId,
      amount: sale.amount,
      currency: sale.currency,
      transactionId: sale.orderId,
    });
    return { outcome: result.status };
  } catch (error) {
    if (error instanceof WaypostValidationError) {
      // The data is wrong, found before sending (status undefined) or by the server (422): retrying won't help.
      return { outcome: 'invalid', message: error.message, fields: error.issues?.map((issue) => issue.path) };
    }
    if (error instanceof WaypostConnectionError || error instanceof WaypostRateLimitError || (isWaypostError(error) && error.status! >= 500)) {
      // The SDK has already retried. Queue the sale and send it again later with the same transaction id.
      return { outcome: 'retry later', requestId: error.requestId };
    }
    // 401, 403, 404 or 409: a key or configuration problem for a human to look at.
    throw error;
  }
}
