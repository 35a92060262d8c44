/**
 * Requests `url` with the conversion as its query through an image, which needs neither fetch nor CORS. The
 * names are the postback's: `click_id`, `offer_id`, `transaction_id`, `coupon`; empty values are left out.
 */
export const pixel = (url: string, conversion: Record<string, unknown>): void => {
  const query = new URLSearchParams();
  for (const key in conversion) if (conversion[key]) query.set(key.replace('Id', '_id').replace('Code', ''), conversion[key] as string);
  new Image().src = url + '?' + query;
};

/** Resolves after `ms` milliseconds: the bound on a request that hangs. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
