/**
 * Another connection, in another process, writing an account and holding the
 * transaction open: run as `node --import tsx hold-insert.ts <url> <name> <ms>`. It
 * prints `held` once its insert is in (not committed), then commits after `ms`. A
 * process of its own because a SQLite writer waiting for the lock blocks its thread.
 */
import { insertAccount } from '../../src/db/account.repository.ts';
import { createDb } from '../../src/db/create-db.ts';

const [url, name, ms] = process.argv.slice(2) as [string, string, string];
const db = createDb(url);
const none = { industry: null, region: null, contribution: null, credit: null, potential: null, accountManagerId: null, solutionManagerId: null, deliveryManagerId: null, sponsorId: null };
await db.transaction().execute(async (trx) => {
  await insertAccount(trx, { name, tier: 'general', ...none }, { by: null, today: '2026-11-24', now: new Date() });
  process.stdout.write('held\n');
  await new Promise((resolve) => setTimeout(resolve, Number(ms)));
});
process.stdout.write('committed\n');
await db.destroy();
