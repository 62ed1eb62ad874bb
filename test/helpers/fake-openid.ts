import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer } from './fake-server.ts';

/** The issuer of Bot Framework channel tokens. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';
/** An issuer of Emulator tokens (Microsoft Entra v1, the Bot Framework tenant). */
export const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

const METADATA_PATH = '/v1/.well-known/openidconfiguration';
const KEYS_PATH = '/v1/.well-known/keys';

/** A key pair for signing test tokens. */
export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function testKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/**
 * A local stand-in for login.botframework.com: OpenID metadata whose `jwks_uri` serves
 * the public half of `key` (endorsed for Teams, as Microsoft's are), and RS256 tokens
 * signed with it. Records every fetch (path only).
 */
export class FakeOpenId extends FakeServer<string> {
  /** The published key; replace it to rotate keys. */
  key = testKey('test-key-1');

  get metadataUrl(): string {
    return `${this.url}${METADATA_PATH}`;
  }

  protected handle(req: IncomingMessage, _raw: string, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0]!;
    this.record(path);
    if (path === METADATA_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.url}${KEYS_PATH}`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (path === KEYS_PATH) {
      const jwk = this.key.publicKey.export({ format: 'jwk' });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ ...jwk, kid: this.key.kid, use: 'sig', endorsements: ['msteams'] }] }));
    } else {
      res.writeHead(404).end();
    }
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with this header and payload, RS256-signed with `key` (or unsigned when `key` is absent). */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, key?: KeyObject): string {
  const signed = `${b64(header)}.${b64(payload)}`;
  if (!key) return `${signed}.`;
  const signature = createSign('sha256').update(signed).sign(key).toString('base64url');
  return `${signed}.${signature}`;
}

/**
 * A channel token as the Bot Framework sends it to the bot `appId` for activities of
 * `serviceUrl`, valid for an hour; `claims` and `header` override its parts, `key` signs.
 */
export function channelToken(
  fake: FakeOpenId,
  appId: string,
  serviceUrl: string,
  options: { claims?: Record<string, unknown>; header?: Record<string, unknown>; key?: KeyObject } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...options.claims };
  const header = { alg: 'RS256', typ: 'JWT', kid: fake.key.kid, ...options.header };
  return signJwt(header, payload, options.key ?? fake.key.privateKey);
}
