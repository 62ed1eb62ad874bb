import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';

/** A request handler mounted on a path of the one HTTP server. */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * A path of the routing table: the methods it answers and its handler. A method not
 * listed is answered 405 with `Allow` before the handler sees the request (Bolt's
 * receiver throws for anything but POST); `HEAD` is allowed wherever `GET` is.
 * `whileDraining` routes (health, readiness) are still answered while stopping.
 *
 * @example routes['/metrics'] = { methods: ['GET'], handle: (req, res) => … }
 */
export interface RouteSpec {
  methods: readonly string[];
  handle: Route;
  whileDraining?: boolean;
}

export type Routes = Record<string, RouteSpec>;

/**
 * The largest request body taken, in bytes. Slack's largest payloads (a full modal's
 * `view` with 100 blocks of state) and Bot Framework activities stay far below 1 MB;
 * anything larger is refused with 413 before it is read.
 */
export const MAX_BODY_BYTES = 1_000_000;

/** A path longer than this is no route of ours: 414 without looking further. */
const MAX_URL_LENGTH = 8_192;

export type HttpServer = Server & { draining: boolean };

/**
 * The one HTTP port of interfaces.md: `POST /slack/events` (Slack), `POST
 * /api/messages` (Teams), `GET /healthz`, `GET /readyz` and whatever else the table
 * holds. Nothing a client sends escapes as an exception: a wrong method is 405 with
 * `Allow`, an unknown path 404, a declared body over {@link MAX_BODY_BYTES} 413, and a
 * handler that throws (synchronously or not) 500 with a line in the log. While
 * stopping, new requests get 503 and requests in flight finish.
 */
export function createHttpServer(routes: Routes, log: Logger): HttpServer {
  const listener: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    if (url.length > MAX_URL_LENGTH) return plain(res, 414, 'URI too long');
    const path = pathOf(url);
    if (path === undefined) return plain(res, 400, 'bad request target');
    const route = Object.hasOwn(routes, path) ? routes[path]! : undefined;
    if (!route) return plain(res, 404, 'not found');
    if (server.draining && !route.whileDraining) {
      res.setHeader('connection', 'close');
      return plain(res, 503, 'shutting down');
    }
    const allowed = allowedMethods(route);
    if (!allowed.includes(req.method ?? '')) {
      res.setHeader('allow', allowed.join(', '));
      return plain(res, 405, 'method not allowed');
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && length > MAX_BODY_BYTES) {
      // Not read: the connection is closed once the answer is out.
      res.setHeader('connection', 'close');
      return plain(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);
    }
    const failed = (error: unknown) => {
      // A client that went away mid-request is no fault of ours.
      if (req.readableAborted || res.destroyed) log.debug('http client went away', { path, method: req.method, error: String(error) });
      else log.error('http route failed', { path, method: req.method, error });
      if (!res.headersSent) plain(res, 500, 'internal error');
      else if (!res.writableEnded) res.end();
    };
    try {
      Promise.resolve(route.handle(req, res)).catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  const server = Object.assign(createServer(listener), { draining: false });
  // A malformed request line or header never reaches the listener: Node answers 400 and closes.
  server.on('clientError', (error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy(error);
  });
  return server;
}

/** The methods a route answers, `HEAD` included wherever `GET` is. */
export function allowedMethods(route: RouteSpec): string[] {
  const methods = route.methods.map((m) => m.toUpperCase());
  return methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : methods;
}

/** The path of a request target (`/healthz?x=1` → `/healthz`); undefined when it is not one. */
function pathOf(url: string): string | undefined {
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

/** Stops taking requests and resolves when those in flight are done. */
export function closeHttpServer(server: HttpServer): Promise<void> {
  server.draining = true;
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
