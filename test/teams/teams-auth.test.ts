import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { startBot, type RunningBot } from '../../src/main.ts';
import { clearTeamsProfileCache } from '../../src/teams/people.ts';
import { memoryLogger } from '../helpers/context.ts';
import { testDatabase } from '../helpers/engine.ts';
import { FakeConnector, messageActivity, postActivity, type Sender } from '../helpers/fake-connector.ts';
import { channelToken, EMULATOR_ISSUER, FakeOpenId, signJwt, testKey } from '../helpers/fake-openid.ts';
import { FakeSlack, SIGNING_SECRET } from '../helpers/fake-slack.ts';

const APP_ID = '00000000-0000-0000-0000-0000000000b1';
const ALICE: Sender = { id: '29:alice', aadObjectId: 'aad-alice', name: 'Alice Chen' };
const OUTGOING = 'bot-to-connector-token';

/** Everything written to the console or the process's streams while `work` runs. */
async function consoleDuring<T>(work: () => Promise<T>): Promise<{ result: T; output: string[] }> {
  const output: string[] = [];
  const spies = [
    ...(['error', 'warn', 'log', 'info', 'debug', 'trace'] as const).map((name) => vi.spyOn(console, name).mockImplementation((...args: unknown[]) => void output.push(`console.${name}: ${args.map(String).join(' ')}`))),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (output.push(`stderr: ${String(chunk)}`), true)),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (output.push(`stdout: ${String(chunk)}`), true)),
  ];
  try {
    return { result: await work(), output };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('the Teams bot with a bot registration: every activity is authenticated first', () => {
  let connector: FakeConnector;
  let openId: FakeOpenId;
  let bot: RunningBot;
  let db: Db;
  let dropDb: () => Promise<void>;
  let url: string;
  let log: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    connector.members.set(ALICE.id, { name: 'Alice Chen', email: 'alice@example.com', aadObjectId: ALICE.aadObjectId });
    openId = await new FakeOpenId().start();
  });
  afterAll(async () => {
    await connector.stop();
    await openId.stop();
  });
  beforeEach(async () => {
    const database = await testDatabase();
    dropDb = database.cleanup;
    connector.calls.length = 0;
    clearTeamsProfileCache();
    log = memoryLogger();
    const config = loadConfig({ DATABASE_URL: database.url, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_OPENID_METADATA_URL: openId.metadataUrl });
    bot = await startBot({ ...config, port: 0 }, log, { scheduler: false, teams: { outgoingToken: async () => OUTGOING } });
    url = `http://127.0.0.1:${bot.port}`;
    db = createDb(database.url);
  });
  afterEach(async () => {
    await db.destroy();
    await bot.stop();
    await dropDb();
  });

  const serviceUrl = () => `${connector.url}/`;

  it('runs a command sent with a correctly signed token and replies through the connector, signed as the bot', async () => {
    const activity = messageActivity(connector, ALICE, 'mcr account add "Acme Telecom" --tier strategic');
    const response = await postActivity(url, activity, { authorization: `Bearer ${channelToken(openId, APP_ID, serviceUrl())}` });
    expect(response.status).toBe(200);
    const [reply] = await connector.waitForMessages(1);
    expect(JSON.stringify(reply!.body)).toMatch(/Acme Telecom/);
    expect(reply!.authorization).toBe(`Bearer ${OUTGOING}`);
    expect(await db.selectFrom('accounts').select('name').execute()).toEqual([{ name: 'Acme Telecom' }]);
    expect(openId.calls).toEqual(expect.arrayContaining(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']));
    expect(log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  /** A key nobody published, used under the published key's id. */
  const other = testKey('test-key-1');
  const now = () => Math.floor(Date.now() / 1000);

  /** [case, the Authorization header (built once the fakes listen), what our log gives as the reason] */
  const forged: Array<[string, () => string | undefined, RegExp]> = [
    ['no token', () => undefined, /no token/],
    ['not a bearer token', () => 'Basic YWxpY2U6c2VjcmV0', /not a bearer token/],
    ['a malformed token', () => 'Bearer not-a-token', /malformed token/],
    ['a token of garbage parts', () => 'Bearer aaa.bbb.ccc', /malformed token/],
    ['a token signed with another key under the published key id', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { key: other.privateKey })}`, /bad signature/],
    ['alg: none without a signature', () => `Bearer ${signJwt({ alg: 'none', kid: openId.key.kid }, { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: serviceUrl(), exp: now() + 3600 })}`, /malformed token/],
    ['alg: none with a signature', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { header: { alg: 'none' } })}`, /algorithm not allowed/],
    ['HS256 (the public key as an HMAC secret)', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { header: { alg: 'HS256' } })}`, /algorithm not allowed/],
    ['an expired token', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { claims: { exp: now() - 600, nbf: now() - 4000 } })}`, /expired/],
    ['a token without expiry', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { claims: { exp: undefined } })}`, /no expiry/],
    ['a token not yet valid', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { claims: { nbf: now() + 600 } })}`, /not yet valid/],
    ['a token for another bot', () => `Bearer ${channelToken(openId, 'another-bot', serviceUrl())}`, /wrong audience/],
    ['a token of another issuer', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { claims: { iss: 'https://evil.example' } })}`, /wrong issuer/],
    ['a token for another serviceUrl', () => `Bearer ${channelToken(openId, APP_ID, 'https://smba.trafficmanager.net/amer/')}`, /serviceUrl does not match/],
    ['a key id not in the published set', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { header: { kid: 'unknown-key' } })}`, /unknown signing key/],
    ['an Emulator token (signed by a published key)', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { claims: { iss: EMULATOR_ISSUER, ver: '1.0', appid: APP_ID } })}`, /wrong issuer/],
    // Ours accepts it (right issuer, key, audience), botbuilder's own check reads it as a skill token and refuses: both gates hold.
    ['a channel token that botbuilder reads as a skill token', () => `Bearer ${channelToken(openId, APP_ID, serviceUrl(), { claims: { ver: '2.0', azp: 'another-bot' } })}`, /refused by botbuilder/],
  ];

  it.each(forged)('refuses %s: 401 JSON, one log line, nothing read, written or sent', async (_case, header, reason) => {
    const authorization = header();
    const activity = messageActivity(connector, ALICE, 'mcr account add Sneaky');
    const before = log.lines.length;
    const { result: response, output } = await consoleDuring(() => postActivity(url, activity, authorization ? { authorization } : {}));
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"error":"unauthorized"}');
    expect(output).toEqual([]);
    const lines = log.lines.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'teams request refused', status: 401 });
    expect(String(lines[0]!.reason)).toMatch(reason);
    expect(JSON.stringify(lines[0])).not.toMatch(/\bat .*\(|stack/);
    expect(await db.selectFrom('people').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('accounts').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('conversations').selectAll().execute()).toEqual([]);
    expect(connector.calls).toEqual([]);
  });

  it('refuses an activity of a channel the signing key is not endorsed for', async () => {
    const activity = { ...messageActivity(connector, ALICE, 'mcr help'), channelId: 'webchat' };
    const response = await postActivity(url, activity, { authorization: `Bearer ${channelToken(openId, APP_ID, serviceUrl())}` });
    expect(response.status).toBe(401);
    expect(log.lines.at(-1)).toMatchObject({ msg: 'teams request refused', reason: 'channel not endorsed by the signing key' });
    expect(connector.calls).toEqual([]);
  });

  it('checks the token before reading the body: an unauthenticated request with a broken body is 401, not 400', async () => {
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(response.status).toBe(401);
    const ok = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${channelToken(openId, APP_ID, serviceUrl())}` }, body: '{not json' });
    expect(ok.status).toBe(400);
    expect(await ok.json()).toEqual({ error: 'expected a JSON activity' });
  });

  it('answers any forged Authorization header with 401 JSON: never a 500, never console output (property)', async () => {
    const published = openId.key;
    const base64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const claims = fc.record(
      {
        iss: fc.constantFrom('https://api.botframework.com', EMULATOR_ISSUER, '', 'https://api.botframework.com/'),
        aud: fc.oneof(fc.constant(APP_ID), fc.string(), fc.array(fc.constant(APP_ID))),
        serviceurl: fc.oneof(fc.constant(serviceUrl()), fc.string()),
        exp: fc.oneof(fc.integer(), fc.string(), fc.double()),
        nbf: fc.oneof(fc.integer(), fc.constant(null)),
        ver: fc.constantFrom('1.0', '2.0', 'x'),
        appid: fc.string(),
      },
      { requiredKeys: [] },
    );
    const header = fc.record({ alg: fc.constantFrom('RS256', 'RS384', 'RS512', 'none', 'HS256', 'ES256', ''), kid: fc.oneof(fc.constant(published.kid), fc.string()), typ: fc.constant('JWT') }, { requiredKeys: [] });
    const token = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(fc.oneof(header, fc.json()), fc.oneof(claims, fc.json()), fc.string()).map(([h, p, sig]) => `${base64(h)}.${base64(p)}.${base64(sig)}`),
      // Signed by the published key, but with claims that must not pass.
      fc.tuple(header, claims).map(([h, p]) => signJwt({ ...h, alg: 'RS256' }, { ...p, exp: typeof p.exp === 'number' ? Math.min(p.exp, now() - 400) : p.exp }, published.privateKey)),
    );
    const authorization = fc.oneof(token.map((t) => `Bearer ${t}`), token);
    const { output } = await consoleDuring(() =>
      fc.assert(
        fc.asyncProperty(authorization, async (value) => {
          const response = await postActivity(url, messageActivity(connector, ALICE, 'mcr account add Sneaky'), { authorization: value });
          expect(response.status).toBe(401);
          expect(response.text).toBe('{"error":"unauthorized"}');
        }),
        { numRuns: 60 },
      ),
    );
    expect(output).toEqual([]);
    expect(await db.selectFrom('people').selectAll().execute()).toEqual([]);
    expect(connector.calls).toEqual([]);
  });

  it('listens on every interface (a bot registration is configured)', () => {
    expect(['::', '0.0.0.0']).toContain(bot.host);
  });
});

describe('the Teams bot when the signing keys cannot be fetched', () => {
  it('answers 503 with a short JSON body and lets no request through', async () => {
    const database = await testDatabase();
    const connector = await new FakeConnector().start();
    const gone = await new FakeOpenId().start();
    const metadataUrl = gone.metadataUrl;
    await gone.stop();
    const log = memoryLogger();
    const config = loadConfig({ DATABASE_URL: database.url, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_OPENID_METADATA_URL: metadataUrl });
    const bot = await startBot({ ...config, port: 0 }, log, { scheduler: false, teams: { outgoingToken: async () => OUTGOING } });
    try {
      const token = channelToken(gone, APP_ID, `${connector.url}/`);
      const { result: response, output } = await consoleDuring(() => postActivity(`http://127.0.0.1:${bot.port}`, messageActivity(connector, ALICE, 'mcr help'), { authorization: `Bearer ${token}` }));
      expect(response.status).toBe(503);
      expect(response.json).toEqual({ error: 'temporarily unavailable' });
      expect(output).toEqual([]);
      expect(log.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['cannot fetch Bot Framework signing keys', 'teams request not checked: no signing keys']));
      expect(connector.calls).toEqual([]);
    } finally {
      await bot.stop();
      await connector.stop();
      await database.cleanup();
    }
  });
});

/** Does a TCP connection to host:port open? */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** An address of this machine other than loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('Teams without MICROSOFT_APP_ID: a local development mode', () => {
  it('listens on 127.0.0.1 only, Slack included, and says so once at start-up', async () => {
    const database = await testDatabase();
    const slack = await new FakeSlack().start();
    const log = memoryLogger();
    const config = loadConfig({ DATABASE_URL: database.url, TEAMS_ENABLED: 'true', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/` });
    const bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    try {
      expect(bot.host).toBe('127.0.0.1');
      expect(await reachable('127.0.0.1', bot.port)).toBe(true);
      if (outsideAddress) expect(await reachable(outsideAddress, bot.port), `reachable on ${outsideAddress}`).toBe(false);
      else console.info('this machine has no non-loopback IPv4 address: the "not reachable from outside" assertion is skipped');
      const warnings = log.lines.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ host: '127.0.0.1', port: bot.port });
      expect(String(warnings[0]!.msg)).toMatch(/local development mode.*not authenticated.*127\.0\.0\.1 only/);
    } finally {
      await bot.stop();
      await slack.stop();
      await database.cleanup();
    }
  });

  it('is reachable from outside with a bot registration (the check above can tell the difference)', async () => {
    const database = await testDatabase();
    const config = loadConfig({ DATABASE_URL: database.url, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' });
    const log = memoryLogger();
    const bot = await startBot({ ...config, port: 0 }, log, { scheduler: false });
    try {
      if (!outsideAddress) return console.info('this machine has no non-loopback IPv4 address: skipped');
      expect(await reachable(outsideAddress, bot.port)).toBe(true);
      expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    } finally {
      await bot.stop();
      await database.cleanup();
    }
  });
});
