import { verify } from 'node:crypto';
import type { SigningKey, SigningKeys } from './signing-keys.ts';

/**
 * The only issuer we accept: the Bot Framework channel service (botframework-connector's
 * `AuthenticationConstants.ToBotFromChannelTokenIssuer`). Emulator and skill tokens
 * (issued by Microsoft Entra) are refused: the Emulator is for the local mode.
 */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** What botframework-connector allows (`AuthenticationConstants.AllowedSigningAlgorithms`). */
const HASH_OF: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
/** Clock skew tolerated on `exp` and `nbf`, as botbuilder does. */
const CLOCK_SKEW_S = 5 * 60;

/** A request that does not carry a valid token; `reason` is for our log only. */
export class Unauthorized extends Error {
  constructor(readonly reason: string) {
    super(`unauthorized: ${reason}`);
    this.name = 'Unauthorized';
  }
}

/** A token whose signature, issuer, audience and lifetime were checked. */
export interface VerifiedToken {
  claims: Record<string, unknown>;
  key: SigningKey;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const json: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw new Unauthorized(`malformed token ${what}`);
}

/**
 * Step one, before the body is read: the `Authorization` header carries a Bot
 * Framework channel token, signed with a published key, issued to this bot, valid now.
 * Mirrors botframework-connector's channel validation, without its console output.
 */
export async function verifyBotToken(
  authorization: string | undefined,
  expected: { appId: string; keys: SigningKeys; now?: () => number },
): Promise<VerifiedToken> {
  if (!authorization) throw new Unauthorized('no token');
  const [scheme, token, ...rest] = authorization.split(' ');
  if (scheme !== 'Bearer' || !token || rest.length > 0) throw new Unauthorized('not a bearer token');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) throw new Unauthorized('malformed token');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodePart(headerPart, 'header');
  const claims = decodePart(payloadPart, 'payload');

  const hash = typeof header.alg === 'string' ? HASH_OF[header.alg] : undefined;
  if (!hash) throw new Unauthorized(`signing algorithm not allowed: ${String(header.alg).slice(0, 20)}`);
  // Checked before any key is fetched: another issuer's token cannot make us fetch anything.
  if (claims.iss !== BOT_FRAMEWORK_ISSUER) throw new Unauthorized('wrong issuer');
  if (typeof header.kid !== 'string' || !header.kid) throw new Unauthorized('no key id');
  const key = await expected.keys.find(header.kid);
  if (!key) throw new Unauthorized('unknown signing key');
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  if (!signatureHolds(hash, signed, key, signaturePart)) throw new Unauthorized('bad signature');

  const nowS = Math.floor((expected.now ?? Date.now)() / 1000);
  if (typeof claims.exp !== 'number') throw new Unauthorized('no expiry');
  if (nowS >= claims.exp + CLOCK_SKEW_S) throw new Unauthorized('token expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowS + CLOCK_SKEW_S)) throw new Unauthorized('token not yet valid');
  if (claims.aud !== expected.appId) throw new Unauthorized('wrong audience');
  return { claims, key };
}

function signatureHolds(hash: string, signed: Buffer, key: SigningKey, signature: string): boolean {
  try {
    return verify(hash, signed, key.key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * Step two, once the activity is parsed and before it is acted on: the token was
 * issued for this activity's service URL (where replies go) and a channel its key may
 * sign for.
 */
export function checkActivity(token: VerifiedToken, activity: { serviceUrl?: unknown; channelId?: unknown }): void {
  if (typeof activity.serviceUrl !== 'string' || token.claims.serviceurl !== activity.serviceUrl) throw new Unauthorized('serviceUrl does not match the token');
  const endorsements = token.key.endorsements;
  if (endorsements && endorsements.length > 0 && !(typeof activity.channelId === 'string' && endorsements.includes(activity.channelId))) {
    throw new Unauthorized('channel not endorsed by the signing key');
  }
}
