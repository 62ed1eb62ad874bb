import { createHash, timingSafeEqual } from 'node:crypto';
import type { Route } from './server.ts';

/**
 * `GET /metrics` (Prometheus text format), only with `Authorization: Bearer
 * <METRICS_TOKEN>`: anything else gets 401 and reads nothing. Mounted only when the
 * token is set, so without it the path does not exist (404).
 */
export function metricsRoute(token: string, scrape: () => Promise<string>, contentType: string): Route {
  const expected = digest(token);
  return async (req, res) => {
    if (!authorized(req.headers.authorization, expected)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain' }).end('unauthorized\n');
      return;
    }
    const body = await scrape();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
  };
}

/** Compares digests of equal length in constant time, so the response time says nothing about the token. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), expected) && match !== null;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
