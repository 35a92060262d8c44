// Real local receivers for outbound deliveries: a node:http server standing in for a publisher's tracker, and an
// SMTP server (smtp-server) standing in for the merchant's mail relay.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedPostback {
  /** The full URL as requested: `http://HOST` plus the path and query the request line carried. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The status this receiver answered. */
  answered: number;
}

export interface PostbackReceiver {
  /** `http://127.0.0.1:PORT` */
  url: string;
  received: ReceivedPostback[];
  /** Answers 500 to the next `count` requests, then 200 again. */
  failNext(count: number): void;
  close(): Promise<void>;
}

/** A publisher's tracker: records every request and answers 200 (or 500 while told to fail). */
export async function startPostbackReceiver(port = 0): Promise<PostbackReceiver> {
  const received: ReceivedPostback[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const answered = failures > 0 ? 500 : 200;
    if (failures > 0) failures -= 1;
    received.push({ url: `http://${req.headers.host}${req.url}`, headers: req.headers, answered });
    res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'tracker is down');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    failNext(count) {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback port that nothing listens on (yet): a receiver that is down. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ReceivedEmail {
  mailFrom: string;
  rcptTo: string[];
  /** Header names in lower case; folded lines unfolded. */
  headers: Record<string, string>;
  /** The body, with quoted-printable decoded. */
  text: string;
}

export interface SmtpReceiver {
  /** `smtp://127.0.0.1:PORT` */
  url: string;
  received: ReceivedEmail[];
  close(): Promise<void>;
}

/** A mail relay on loopback, without TLS or authentication, that keeps every message it accepts. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({ mailFrom: mailFrom ? mailFrom.address : '', rcptTo: rcptTo.map((to) => to.address), ...parseMessage(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A single-part text message: its headers and its decoded body. */
function parseMessage(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) {
    const bytes = text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    text = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { headers, text: text.replace(/\r\n/g, '\n') };
}
