import { channelsOf, ConfigError, loadConfig } from './config.ts';
import { runConsole } from './console/console.ts';
import { createDb, migrateToLatest } from './db/create-db.ts';
import { createLogger } from './log.ts';

/**
 * `npm start`: wires config → database → adapters. Slack and Teams are served when
 * their settings are present (later issues); with neither and a terminal attached, the
 * local console opens on the embedded database; with neither and no terminal, it
 * exits non-zero naming the settings to set.
 */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const channels = channelsOf(config);
  if (channels.slack || channels.teams) {
    process.stderr.write('The Slack and Teams adapters are not built yet (issues 5 and 6): unset SLACK_BOT_TOKEN, MICROSOFT_APP_ID and TEAMS_ENABLED to use the local console.\n');
    return 1;
  }
  if (!process.stdin.isTTY) {
    process.stderr.write('Nothing to serve: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack), or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (Teams), or TEAMS_ENABLED=true; or run in a terminal for the local console (mcr console).\n');
    return 1;
  }
  const db = createDb(config.databaseUrl);
  try {
    await migrateToLatest(db);
    await runConsole({ db, config, log }, { input: process.stdin, output: process.stdout });
    return 0;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main();
