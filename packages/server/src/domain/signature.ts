import { createHmac } from 'node:crypto';

/**
 * The `X-Waypost-Signature` of an outbound publisher postback (README, Publisher postbacks and e-mails):
 * `t=UNIX,v1=HEX`, where HEX is the HMAC-SHA256 of `t.URL` under the publisher's `postbackSecret`. The time is part of
 * what is signed so that a receiver can refuse a replayed request.
 */
export function postbackSignature(url: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${url}`).digest('hex')}`;
}
