import type { ServerResponse } from 'node:http';
import type { DatabaseCheck, DatabaseHealth } from '../db/health.ts';
import type { Logger } from '../log.ts';
import type { Routes } from './server.ts';

/** Where the process is in its life: only `running` is ready for traffic. */
export type Phase = 'starting' | 'running' | 'draining';

/**
 * `GET /healthz` (liveness: the process answers and can write its database) and
 * `GET /readyz` (readiness: database readable and writable, migrations those of this
 * code, at least one channel on, started and not draining). Both answer JSON, 200 or
 * 503; they never say more than the state names (the log has the details).
 *
 * @example GET /healthz → 503 {"status":"unhealthy","database":"read_only"}
 */
export function healthRoutes(database: DatabaseCheck, options: { channels: number; phase: () => Phase; log: Logger }): Routes {
  let lastState = 'ok';
  const probe = async (): Promise<DatabaseHealth> => {
    const health = await database.check();
    // One line when the state changes, not one per probe.
    if (health.database !== lastState) {
      (health.database === 'ok' ? options.log.info : options.log.warn)('database health changed', { from: lastState, to: health.database, ...(health.detail && { detail: health.detail }) });
      lastState = health.database;
    }
    return health;
  };
  return {
    '/healthz': {
      methods: ['GET'],
      whileDraining: true,
      handle: async (_req, res) => {
        const { database } = await probe();
        json(res, database === 'ok' ? 200 : 503, { status: database === 'ok' ? 'ok' : 'unhealthy', database });
      },
    },
    '/readyz': {
      methods: ['GET'],
      whileDraining: true,
      handle: async (_req, res) => {
        const health = await probe();
        const checks = {
          database: health.database,
          migrations: health.migrations,
          channels: options.channels > 0 ? 'ok' : 'none',
          lifecycle: options.phase(),
        };
        const ready = checks.database === 'ok' && checks.migrations === 'current' && checks.channels === 'ok' && checks.lifecycle === 'running';
        json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
      },
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
