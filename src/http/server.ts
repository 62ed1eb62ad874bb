import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';

/** A request handler mounted on a path of the one HTTP server. */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The one HTTP port of interfaces.md: `POST /slack/events` (Slack), `POST
 * /api/messages` (Teams) and `GET /healthz`, each channel mounted when it is on.
 * While stopping, new requests get 503 and requests in flight finish.
 */
export function createHttpServer(routes: Record<string, Route>, log: Logger, health: () => Promise<boolean>): Server & { draining: boolean } {
  const listener: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (server.draining) {
      res.writeHead(503, { 'content-type': 'text/plain', connection: 'close' }).end('shutting down\n');
      return;
    }
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      health().then(
        (ok) => res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok })),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"ok":false}'),
      );
      return;
    }
    const route = routes[path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      log.error('http route failed', { path, error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  };
  const server = Object.assign(createServer(listener), { draining: false });
  return server;
}

/** Stops taking requests and resolves when those in flight are done. */
export function closeHttpServer(server: Server & { draining: boolean }): Promise<void> {
  server.draining = true;
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
