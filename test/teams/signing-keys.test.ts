import { afterEach, describe, expect, it } from 'vitest';
import { openIdSigningKeys, SigningKeysUnavailable } from '../../src/teams/signing-keys.ts';
import { memoryLogger } from '../helpers/context.ts';
import { FakeOpenId, testKey } from '../helpers/fake-openid.ts';

describe('Bot Framework signing keys (OpenID metadata → jwks_uri)', () => {
  const fakes: FakeOpenId[] = [];
  afterEach(async () => {
    for (const fake of fakes.splice(0)) await fake.stop().catch(() => undefined);
  });

  it('fetches once, refetches for a new key id at most every 5 minutes, and keeps the keys when the host is down', async () => {
    const fake = await new FakeOpenId().start();
    fakes.push(fake);
    let now = 1_000_000_000_000;
    const log = memoryLogger();
    const keys = openIdSigningKeys(fake.metadataUrl, log, () => now);

    const first = await keys.find('test-key-1');
    expect(first?.endorsements).toEqual(['msteams']);
    expect(first?.key.asymmetricKeyType).toBe('rsa');
    expect(fake.calls).toHaveLength(2);

    // An unknown key id (a forged token) right after does not make us fetch again.
    expect(await keys.find('forged')).toBeUndefined();
    expect(fake.calls).toHaveLength(2);

    // Keys rotate: a new id after five minutes is fetched.
    fake.key = testKey('test-key-2');
    now += 6 * 60 * 1000;
    expect(await keys.find('test-key-2')).toBeDefined();
    expect(fake.calls).toHaveLength(4);
    expect(await keys.find('test-key-1')).toBeUndefined();

    // A day later the host is down: the keys known are kept, and the log says why.
    await fake.stop();
    now += 25 * 60 * 60 * 1000;
    expect(await keys.find('test-key-2')).toBeDefined();
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', msg: 'cannot fetch Bot Framework signing keys' })]);
  });

  it('with no key ever fetched, says the keys are unavailable (not that the token is bad)', async () => {
    const fake = await new FakeOpenId().start();
    const url = fake.metadataUrl;
    await fake.stop();
    const keys = openIdSigningKeys(url, memoryLogger());
    await expect(keys.find('test-key-1')).rejects.toBeInstanceOf(SigningKeysUnavailable);
  });
});

describe('our copies of botframework-connector constants', () => {
  it('match the installed botframework-connector (a botbuilder upgrade that moves them fails here)', async () => {
    const { createRequire } = await import('node:module');
    const fromBotbuilder = createRequire(createRequire(import.meta.url).resolve('botbuilder'));
    const { AuthenticationConstants: c } = fromBotbuilder('botframework-connector') as { AuthenticationConstants: Record<string, string> };
    const { BOT_FRAMEWORK_OPENID_METADATA_URL } = await import('../../src/teams/signing-keys.ts');
    const { BOT_FRAMEWORK_ISSUER } = await import('../../src/teams/bot-token.ts');
    const { PUBLIC_CLOUD } = await import('../../src/teams/app.ts');
    expect(BOT_FRAMEWORK_OPENID_METADATA_URL).toBe(c.ToBotFromChannelOpenIdMetadataUrl);
    expect(BOT_FRAMEWORK_ISSUER).toBe(c.ToBotFromChannelTokenIssuer);
    expect(PUBLIC_CLOUD).toMatchObject({
      ToChannelFromBotLoginUrl: c.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: c.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: c.ToBotFromChannelTokenIssuer,
      OAuthUrl: c.OAuthUrl,
    });
  });
});
