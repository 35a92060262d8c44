import autocannon from 'autocannon';
import http from 'node:http';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/** Loads one loopback URL for `seconds` with `connections` connections; bounded in time, loopback only. */
export async function load(
  url: string,
  options: { connections?: number; seconds?: number; method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; requests?: autocannon.Request[] } = {},
): Promise<LoadResult> {
  assertLoopback(url);
  const result = await autocannon({
    url,
    connections: options.connections ?? 50,
    duration: options.seconds ?? 5,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests: options.requests,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export function report(name: string, figure: string): void {
  console.log(`${name.padEnd(58)} ${figure}`);
}

/**
 * Latency under a steady load: requests leave at a fixed rate whatever the answers do (an open loop), over up to
 * 50 keep-alive sockets, each timed from when it left. A closed loop (autocannon's connections) measures queueing
 * instead: with 50 connections kept busy, the mean latency is 50 / throughput whatever the server does. The first
 * second opens the sockets and is not counted.
 */
export async function steadyLatency(url: string, { rate, seconds }: { rate: number; seconds: number }): Promise<{ p50: number; p99: number; answered: number; failed: number }> {
  assertLoopback(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const latencies: number[] = [];
  let answered = 0;
  let failed = 0;
  const total = rate * (seconds + 1);
  const warmup = rate;
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    let open = 0;
    const settle = () => {
      open--;
      if (sent >= total && open === 0) resolve();
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      for (; sent < due; sent++) {
        const counted = sent >= warmup;
        const leftAt = performance.now();
        open++;
        http
          .get(url, { agent }, (response) => {
            response.resume();
            response.on('end', () => {
              answered++;
              if (counted) latencies.push(performance.now() - leftAt);
              settle();
            });
          })
          .on('error', () => {
            failed++;
            settle();
          });
      }
      if (sent >= total) clearInterval(timer);
    }, 1);
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1));
  return { p50: at(0.5), p99: at(0.99), answered, failed };
}

function assertLoopback(url: string): void {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) throw new Error(`benchmarks only load loopback addresses, not ${url}`);
}
