import { build } from 'esbuild';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { contextFor } from '../src/core/context.ts';
import { createDb } from '../src/db/create-db.ts';
import { createLogger, withFields } from '../src/log.ts';
import { startBot, type RunningBot } from '../src/main.ts';
import { clearProfileCache } from '../src/slack/people.ts';
import { commandIndex, testConfig } from './helpers/context.ts';
import { testDatabase } from './helpers/engine.ts';
import { FakeSlack, sendSigned, SIGNING_SECRET, slashCommand } from './helpers/fake-slack.ts';

/** What a user typed that is theirs, or their customers': none of it may reach a log line above debug. */
const PERSONAL = ['Tom Baker', 'Baker', 'tom.baker@example.com', 'bob.smith@example.com', 'alice@example.com', 'Alice Chen', 'Secret merger talk', 'Prefers green tea', '1975-03-14'];

describe('logs (issue 17): JSON lines, a request id, no personal data above debug', () => {
  let slack: FakeSlack;
  let bot: RunningBot;
  let url: string;
  let dbUrl: string;
  let dropDb: () => Promise<void>;
  const lines: string[] = [];

  /** Sends a slash command as Alice and returns the text of the answer posted to its response_url. */
  const slash = async (command: string, text: string): Promise<string> => {
    const before = slack.of('response_url').length;
    expect((await sendSigned(url, SIGNING_SECRET, slashCommand(slack, command, text))).status).toBe(200);
    const answers = await slack.waitFor('response_url', before + 1);
    return String(answers[before]!.body.text);
  };

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    slack.users.set('U1ALICE', { name: 'Alice Chen', email: 'alice@example.com' });
    clearProfileCache();
    const database = await testDatabase();
    dbUrl = database.url;
    dropDb = database.cleanup;
    const config = loadConfig({ DATABASE_URL: dbUrl, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, LOG_LEVEL: 'info' });
    // The production logger (pino) at LOG_LEVEL=info, its lines kept instead of written to stderr.
    bot = await startBot({ ...config, port: 0 }, createLogger(config.logLevel, (line) => lines.push(line)), { scheduler: false });
    url = `http://127.0.0.1:${bot.port}`;
  });
  afterAll(async () => {
    await bot.stop();
    await dropDb();
    await slack.stop();
  });

  it('writes one JSON object a line with none of the personal data the commands carried, and the apology shows the request id of its log lines', async () => {
    await slash('/mcr', 'account add "Acme Telecom" --tier strategic --account-manager alice@example.com');
    await slash('/mcr', 'contact add "Tom Baker" --account Acme --role influencer --birthday 1975-03-14 --notes "Prefers green tea" --owner-a bob.smith@example.com');
    expect(await slash('/visit', 'Acme --with "Tom Baker" --summary "Secret merger talk" --attendees bob.smith@example.com')).toMatch(/recorded/);
    await slash('/brief', 'Tom Baker');
    await slash('/mcr', 'nonsense "Tom Baker" tom.baker@example.com');

    // Something breaks inside: the user gets an apology with a reference, the log the error with the same id.
    const db = createDb(dbUrl);
    try {
      await sql`alter table accounts rename to accounts_gone`.execute(db);
    } finally {
      await db.destroy();
    }
    const apology = await slash('/brief', 'Tom Baker');
    const ref = /\(ref ([0-9a-f]{8})\)/.exec(apology)?.[1];
    expect(ref, apology).toBeDefined();

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.length).toBeGreaterThan(6);
    for (const line of parsed) {
      expect(line).toMatchObject({ level: expect.stringMatching(/^(info|warn|error)$/), time: expect.any(String), msg: expect.any(String) });
    }
    for (const line of lines) for (const text of PERSONAL) expect(line, `"${text}" in ${line}`).not.toContain(text);

    // Every line of the failed request carries its id: the error (with its stack) and the access line.
    const failed = parsed.filter((l) => l.requestId === ref);
    expect(failed.map((l) => [l.level, l.msg])).toEqual([['error', 'command failed'], ['info', 'command']]);
    expect(failed[0]!.error).toMatchObject({ message: expect.stringMatching(/accounts/), stack: expect.any(String) });
    expect(failed[1]).toMatchObject({ via: 'slack', command: 'brief', outcome: 'error', code: 'unexpected' });
    // One id a request: the six commands logged six different ids.
    const ids = parsed.filter((l) => l.msg === 'command').map((l) => l.requestId);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });
});

describe('the logger', () => {
  it('filters by level, masks known personal keys at any level, and writes only message, code and stack of an error', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger('info', (line) => lines.push(JSON.parse(line)));
    log.debug('typed', { line: 'visit Acme --summary "Secret merger talk"' });
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "contacts_name_key"'), {
      code: '23505', detail: 'Key (name)=(Tom Baker) already exists.', parameters: ['Tom Baker', 'tom.baker@example.com'], where: 'Tom Baker',
    });
    log.error('command failed', { error: pgError, contact: { name: 'Tom Baker', email: 'tom.baker@example.com' }, summary: 'Secret merger talk', count: 3 });
    expect(lines).toHaveLength(1);
    const text = JSON.stringify(lines);
    for (const secret of ['Tom Baker', 'tom.baker@example.com', 'Secret merger talk']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'command failed', count: 3, summary: '[redacted]', contact: { name: '[redacted]', email: '[redacted]' } });
    expect(lines[0]!.error).toEqual({ type: 'Error', message: pgError.message, code: '23505', stack: pgError.stack });

    // At debug the same logger writes what was typed: personal data is kept to that level.
    const debug: string[] = [];
    createLogger('debug', (line) => debug.push(line)).debug('typed', { line: 'visit Acme --summary "Secret merger talk"' });
    expect(debug.join('')).toContain('Secret merger talk');
  });

  it('gives every context a request id of its own, on every line it logs', () => {
    const lines: Array<Record<string, unknown>> = [];
    const deps = { db: undefined as never, config: testConfig(), commands: commandIndex, log: createLogger('info', (line) => lines.push(JSON.parse(line))) };
    const person = { id: 7, name: 'Tom Baker', email: null, slackId: null, teamsId: null, locale: null };
    const [a, b] = [contextFor(deps, person), contextFor(deps, person, { via: 'cli' })];
    expect(a.requestId).not.toBe(b.requestId);
    expect([a.via, b.via]).toEqual(['console', 'cli']);
    a.log.info('one');
    withFields(b.log, { job: 'x' }).warn('two');
    expect(lines).toMatchObject([{ msg: 'one', requestId: a.requestId }, { msg: 'two', requestId: b.requestId, job: 'x' }]);
  });
});

describe("a thread's logged error names the source line (sourceMappedStack)", () => {
  // A worker of a bundle, as bin/start.js runs the bot's threads: no source maps turned on in it.
  const ROOT = fileURLToPath(new URL('..', import.meta.url));
  let dir: string;
  let entry: string;
  let bundle: string;

  beforeAll(async () => {
    // Inside the project, so that the bundle finds pino in node_modules as the bot's does.
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'log-stack-'));
    entry = join(dir, 'failing-thread.ts');
    writeFileSync(
      entry,
      [
        "import { parentPort } from 'node:worker_threads';",
        `import { serializeError } from ${JSON.stringify(join(ROOT, 'src', 'log.ts'))};`,
        '',
        'function failing(): never {',
        "  throw new Error('boom');",
        '}',
        'try {',
        '  failing();',
        '} catch (error) {',
        '  parentPort!.postMessage(serializeError(error));',
        '}',
      ].join('\n'),
    );
    bundle = join(dir, 'out', 'failing-thread.js');
    await build({ entryPoints: [entry], outfile: bundle, bundle: true, format: 'esm', platform: 'node', packages: 'external', sourcemap: true, sourcesContent: false, logLevel: 'error' });
    writeFileSync(join(dir, 'out', 'package.json'), '{ "type": "module" }\n');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const stackFromThread = async () => {
    const worker = new Worker(bundle);
    const [serialized] = (await once(worker, 'message')) as [{ stack: string }];
    await worker.terminate();
    return serialized.stack;
  };

  it('maps each frame of the bundle to its source file and line', async () => {
    const stack = await stackFromThread();
    expect(stack.split('\n')[1]).toContain(`failing (${entry}:5:`);
    expect(stack).not.toContain('failing-thread.js');
  });

  it('leaves a frame as it was where the file has no map', async () => {
    renameSync(`${bundle}.map`, `${bundle}.map.away`);
    try {
      expect((await stackFromThread()).split('\n')[1]).toMatch(/failing \(file:\/\/.*failing-thread\.js:\d+:\d+\)/);
    } finally {
      renameSync(`${bundle}.map.away`, `${bundle}.map`);
    }
  });
});
