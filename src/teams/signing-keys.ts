import { createPublicKey, type KeyObject } from 'node:crypto';
import { isSecureUrl } from '../config.ts';
import { messageOf, type Logger } from '../log.ts';

/**
 * Microsoft's: where the keys that sign Bot Framework channel tokens are published
 * (botframework-connector's `AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl`).
 */
export const BOT_FRAMEWORK_OPENID_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';

/** A published signing key: the RSA public key and the channels it may sign for. */
export interface SigningKey {
  key: KeyObject;
  /** Channel ids (`msteams`, …); absent = any. */
  endorsements?: string[];
}

export interface SigningKeys {
  /** The key with this id, fetching the published set when it is stale or the id is new. */
  find(kid: string): Promise<SigningKey | undefined>;
}

/** No key could ever be fetched: a token can be neither accepted nor refused. */
export class SigningKeysUnavailable extends Error {
  constructor() {
    super('Bot Framework signing keys could not be fetched');
    this.name = 'SigningKeysUnavailable';
  }
}

const REFRESH_MS = 24 * 60 * 60 * 1000;
/** A key id we do not know fetches the set again, at most this often (keys are published before use). */
const UNKNOWN_KID_REFRESH_MS = 5 * 60 * 1000;
/** After a failed fetch, the next try waits at least this long (a forged token cannot make us hammer the host). */
const RETRY_MS = 10 * 1000;
const FETCH_TIMEOUT_MS = 10 * 1000;

/**
 * The signing keys published at an OpenID metadata URL (its `jwks_uri`), cached for a
 * day. A failed refresh keeps the keys already known and says so in the log.
 */
export function openIdSigningKeys(metadataUrl: string, log: Logger, now: () => number = Date.now): SigningKeys {
  let keys = new Map<string, SigningKey>();
  let fetchedAt = -Infinity;
  let attemptedAt = -Infinity;
  let inflight: Promise<void> | undefined;

  const load = async () => {
    attemptedAt = now();
    try {
      keys = await fetchKeys(metadataUrl);
      fetchedAt = now();
    } catch (error) {
      log.warn('cannot fetch Bot Framework signing keys', { url: metadataUrl, error: messageOf(error) });
    }
  };

  return {
    async find(kid) {
      const sinceAttempt = now() - attemptedAt;
      const stale = now() - fetchedAt > REFRESH_MS && sinceAttempt > RETRY_MS;
      const unknown = !keys.has(kid) && sinceAttempt > UNKNOWN_KID_REFRESH_MS;
      if (stale || unknown) {
        inflight ??= load().finally(() => (inflight = undefined));
        await inflight;
      }
      if (keys.size === 0) throw new SigningKeysUnavailable();
      return keys.get(kid);
    },
  };
}

async function fetchKeys(metadataUrl: string): Promise<Map<string, SigningKey>> {
  const metadata = await getJson(metadataUrl);
  const jwksUri = metadata.jwks_uri;
  if (typeof jwksUri !== 'string' || !isSecureUrl(jwksUri)) throw new Error('metadata has no https jwks_uri');
  const jwks = await getJson(jwksUri);
  if (!Array.isArray(jwks.keys)) throw new Error('key set has no keys');
  const keys = new Map<string, SigningKey>();
  for (const jwk of jwks.keys as Array<Record<string, unknown>>) {
    if (!jwk || typeof jwk.kid !== 'string' || jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') continue;
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      const endorsements = Array.isArray(jwk.endorsements) ? jwk.endorsements.filter((e): e is string => typeof e === 'string') : undefined;
      keys.set(jwk.kid, { key, ...(endorsements && { endorsements }) });
    } catch {
      // A key we cannot read cannot have signed anything we accept.
    }
  }
  if (keys.size === 0) throw new Error('key set has no usable RSA key');
  return keys;
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  // A redirect may not leave https (nor, in tests, this machine).
  if (!isSecureUrl(response.url)) throw new Error(`${url} redirected to an insecure URL`);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const json: unknown = await response.json();
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${url} did not answer a JSON object`);
  return json as Record<string, unknown>;
}
