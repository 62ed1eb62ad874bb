import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../core/metrics.ts';
import type { PoolStats } from '../db/create-db.ts';

/** The bot's metrics in Prometheus' text format: the {@link Metrics} port over prom-client. */
export interface PrometheusMetrics {
  metrics: Metrics;
  /** The text a scrape gets: this bot's metrics and the process's (CPU, memory, event loop, GC). */
  scrape(): Promise<string>;
  contentType: string;
}

/** Seconds: a brief takes milliseconds; a digest preview or a slow database, seconds. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * prom-client's default process metrics, collected once per process: they describe
 * the process, and each collection starts its own event-loop and GC observers.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * Each of the bot's threads that holds a database pool, by name (`main`, `slack-1`…: Slack's
 * answers threads, `scheduler`), and how to read it; one that cannot say now (starting,
 * restarting, too busy) is left out of that scrape.
 */
export type Pools = Map<string, () => PoolStats | undefined | Promise<PoolStats | undefined>>;

/**
 * A registry of the bot's own: a second bot in the same process (tests) counts on its
 * own. The database pools are read at each scrape (`pools`), never polled.
 */
export function createPrometheusMetrics(options: { pools: Pools }): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({
    name: 'mcr_requests_total',
    help: 'Commands typed and forms submitted, by channel (slack, teams, console, cli), command and outcome (ok, invalid, error, duplicate).',
    labelNames: ['channel', 'command', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'mcr_request_duration_seconds',
    help: 'Time the bot took to handle a command or a form submission, by channel and command.',
    labelNames: ['channel', 'command'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const forms = new Counter({
    name: 'mcr_form_submissions_total',
    help: 'Forms submitted, by channel, form and outcome (ok, invalid, error, duplicate).',
    labelNames: ['channel', 'form', 'outcome'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'mcr_deliveries_total',
    help: 'Scheduled sends finished, by kind (digest, reminder) and outcome (sent, failed, skipped).',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'mcr_delivery_retries_total',
    help: 'Scheduled sends attempted again after a failure, by kind.',
    labelNames: ['kind'] as const,
    registers,
  });
  const takeovers = new Counter({
    name: 'mcr_delivery_claims_taken_over_total',
    help: "Claims on a scheduled send taken over from an instance whose lease ran out (it died between claim and send), by kind.",
    labelNames: ['kind'] as const,
    registers,
  });
  const importRows = new Counter({
    name: 'mcr_import_rows_total',
    help: 'CSV rows imported, by kind (accounts, contacts, activities, ratings) and result (created, updated, unchanged).',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const imports = new Counter({
    name: 'mcr_imports_total',
    help: 'CSV files imported (ok) or refused with nothing written (rejected), by kind.',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  // Read at each scrape, one series per thread. SQLite has one connection a thread, so it reports max and open only.
  const pool = (name: string, help: string, read: (s: Extract<PoolStats, { engine: 'postgres' }>) => number, sqlite?: (s: Extract<PoolStats, { engine: 'sqlite' }>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['engine', 'thread'] as const,
      registers,
      async collect() {
        const threads = await Promise.all([...options.pools].map(async ([thread, stats]) => ({ thread, stats: await stats() })));
        this.reset();
        for (const { thread, stats } of threads) {
          if (stats?.engine === 'postgres') this.set({ engine: stats.engine, thread }, read(stats));
          else if (stats && sqlite) this.set({ engine: stats.engine, thread }, sqlite(stats));
        }
      },
    });
  pool('mcr_db_pool_max_connections', 'Connections the database pool may open (DATABASE_POOL_SIZE; 1 for SQLite).', (s) => s.max, (s) => s.max);
  pool('mcr_db_pool_open_connections', 'Connections the database pool holds open, busy or idle (SQLite: its one connection).', (s) => s.open, (s) => s.open);
  pool('mcr_db_pool_idle_connections', 'Open connections not in use (PostgreSQL).', (s) => s.idle);
  pool('mcr_db_pool_waiting_clients', 'Queries waiting for a connection because all are busy (PostgreSQL).', (s) => s.waiting);

  // The scheduled sends' series exist from the start, so a rate() or an alert sees 0, not nothing.
  for (const kind of ['digest', 'reminder'] as const) {
    for (const outcome of ['sent', 'failed', 'skipped'] as const) deliveries.inc({ kind, outcome }, 0);
    retries.inc({ kind }, 0);
    takeovers.inc({ kind }, 0);
  }

  const metrics: Metrics = {
    request: (channel, command, outcome, seconds) => {
      requests.inc({ channel, command, outcome });
      duration.observe({ channel, command }, seconds);
    },
    formSubmitted: (channel, form, outcome) => forms.inc({ channel, form, outcome }),
    delivery: (kind, outcome) => deliveries.inc({ kind, outcome }),
    deliveryRetried: (kind) => retries.inc({ kind }),
    claimTakenOver: (kind) => takeovers.inc({ kind }),
    imported: (kind, result) => {
      if (result === 'rejected') {
        imports.inc({ kind, outcome: 'rejected' });
        return;
      }
      imports.inc({ kind, outcome: 'ok' });
      for (const key of ['created', 'updated', 'unchanged'] as const) importRows.inc({ kind, result: key }, result[key]);
    },
  };
  return {
    metrics,
    contentType: registry.contentType,
    scrape: () => Registry.merge([registry, processMetrics()]).metrics(),
  };
}
