import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { setImmediate as eventLoopTurn } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type KyselyPlugin, type SqliteDialectConfig, type Transaction, type TransactionSettings } from 'kysely';
import type pg from 'pg';
import { migrations } from '../../migrations/index.ts';
import { MigrationError } from './open-errors.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/** The SQLite page cache per connection, in KiB. */
export const CACHE_KIB = 16_384;
/** A database handle or an open transaction: repositories take either. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
/** One transaction's handle (what `db.transaction().execute` gives its callback). */
export type Trx = Transaction<Database>;

/** The path of a `file:` URL, or `:memory:`. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:(\/\/)?/, '');
  return path === ':memory:' ? path : resolve(path);
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/**
 * The connections a database handle holds, for the metrics read at each scrape.
 * SQLite is one connection that Kysely serialises; who waits for it is not visible.
 */
export type PoolStats = { engine: 'postgres'; max: number; open: number; idle: number; waiting: number } | { engine: 'sqlite'; max: 1; open: 1 };

const pools = new WeakMap<Db, pg.Pool>();
/** `pg` is loaded only by a bot on PostgreSQL: ~90 ms of a SQLite bot's cold start otherwise (issue 19 part 3). */
const loadPg = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

export function poolStats(db: Db): PoolStats {
  const pool = pools.get(db);
  if (!pool) return { engine: 'sqlite', max: 1, open: 1 };
  return { engine: 'postgres', max: pool.options.max ?? 10, open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

export interface DbOptions {
  /** PostgreSQL: connections in the pool (10). */
  poolSize?: number;
  /** SQLite: the event loop takes a turn after each query (true; see {@link turnAfterEachQuery}). */
  turnAfterEachQuery?: boolean;
  /**
   * SQLite: who copies the write-ahead log into the database file. `commit` (SQLite's default):
   * the commit that takes the log past 1,000 pages, on the thread that made it. `background`:
   * a thread that answers nobody, with {@link startWalCheckpoints}; this connection only past
   * {@link BACKSTOP_PAGES}, should that thread not be running.
   */
  checkpoints?: 'commit' | 'background';
}

/**
 * A connection that leaves checkpoints to the background still makes one once the log holds
 * this many pages (about 64 MB of 4 KiB pages): the log cannot grow without bound while the
 * thread that checkpoints is down (restarting, or a bot started without a scheduler).
 */
export const BACKSTOP_PAGES = 16_000;

/**
 * Opens the database a `DATABASE_URL` names. PostgreSQL (`postgres://…`): a pool of
 * `poolSize` connections over `pg`, TLS when the URL asks for it (`sslmode=require`).
 * SQLite (`file:…`): WAL so readers never wait for the writer, foreign keys on,
 * deleted content overwritten with zeros, and a busy timeout so a second process (the
 * CLI beside a running bot) waits for a lock instead of failing.
 */
export function createDb(url: string, options: DbOptions = {}): Db {
  if (isPostgresUrl(url)) {
    const pool = new (loadPg().Pool)({ connectionString: url, max: options.poolSize ?? 10 });
    // A connection the server drops (restart, failover) must not take the process down:
    // the query on it fails ("temporarily unavailable"), the pool discards it and opens another.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return db;
  }
  if (!url.startsWith('file:')) throw new Error(`DATABASE_URL: must be file:PATH or postgres://…, got "${url.split(':')[0]}:"`);
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Deleted and overwritten text is zeroed in the file, not left in free space: what
  // `forget` erases must not stay readable in the database file (issue 14).
  sqlite.pragma('secure_delete = ON');
  // 16 MiB of page cache (SQLite's default is 2 MiB). The operating system caches the file as
  // well; 64 MiB measured no faster for brief, tier or digests and cost 60–80 MB of memory.
  sqlite.pragma(`cache_size = -${CACHE_KIB}`);
  if (options.checkpoints === 'background') sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const dialect = new WriteLockingSqliteDialect({ database: withStatementCache(sqlite) });
  return new Kysely<Database>({ dialect, plugins: options.turnAfterEachQuery === false ? [] : [turnAfterEachQuery] });
}

/**
 * SQLite with every transaction that may write begun `IMMEDIATE` (taking the write lock at
 * once, waiting for it up to the busy timeout), and only those marked read-only
 * (`setAccessMode('read only')`) begun deferred. Kysely begins them all deferred: such a
 * transaction reads, and when it then writes after another connection committed (the
 * scheduler's thread claiming a digest, another process), SQLite cannot upgrade its now
 * stale snapshot and fails at once with SQLITE_BUSY, the busy timeout notwithstanding
 * (sqlite.org/wal.html; bench --load lost 6 visits to it).
 */
class WriteLockingSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): SqliteDriver {
    return new WriteLockingSqliteDriver(this.settings);
  }
}

class WriteLockingSqliteDriver extends SqliteDriver {
  // Kysely passes every driver the transaction's settings; SqliteDriver declares no second parameter.
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'));
  }
}

/**
 * better-sqlite3 runs a query on the calling thread, and Kysely hands its rows on as a
 * microtask, so a brief's dozen queries (or a digest's) ran back to back without the event
 * loop turning once: a Slack request arriving meanwhile waited for all of them before it was
 * even read, let alone acked (bench --load, issue 19 part 2). After each query the loop now
 * takes a turn, and a request waiting is read, verified and acked before the next query, as
 * it is between PostgreSQL's queries, which wait on a socket. A turn costs microseconds when
 * nothing waits. (A transaction still holds the one connection across its turns.) Off on a
 * thread that acks nothing itself (Slack's answers thread): there the turns only interleave
 * requests' queries, and each request, a visit's save above all, waits for all the others.
 */
const turnAfterEachQuery: KyselyPlugin = {
  transformQuery: ({ node }) => node,
  transformResult: async ({ result }) => {
    await eventLoopTurn();
    return result;
  },
};

/** Prepared statements kept per SQL text: how many, least recently used dropped first. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement it runs, and SQLite compiling the
 * SQL costs as much as running a small query. The same query shapes come back all the
 * time (a brief is the same dozen statements for every account; an import batch the
 * same INSERT), so each prepared statement is kept and reused. One still iterating
 * (a streamed select) is busy, and a second user of that text gets a fresh one.
 */
function withStatementCache(sqlite: SQLite.Database): Pick<SQLite.Database, 'prepare' | 'close'> {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement && !statement.busy) {
        cache.delete(text); // re-inserted below: the Map's order is the recency order
      } else {
        statement = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
    close: () => sqlite.close(),
  } as Pick<SQLite.Database, 'prepare' | 'close'>;
}

/** Applies pending migrations; returns the names applied (none when up to date). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  // Kysely reports which migration failed in `results`: the error names it.
  if (error && failed) throw new MigrationError(failed.migrationName, error);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
