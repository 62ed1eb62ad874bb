import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelsOf, isLocalOnly, loadConfig } from '../src/config.ts';
import { defaultRules } from '../src/domain/rules.ts';

describe('config (interfaces.md settings)', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ databaseUrl: 'file:./data/mcr.sqlite', port: 3000, language: 'en', timezone: 'UTC', allowedUsers: [], admins: [], logLevel: 'info' });
    expect(config.rules).toBe(defaultRules);
    expect(channelsOf(config)).toEqual({ slack: false, teams: false });
    // Metrics are never public by default: no token, no endpoint.
    expect(config.metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: '0123456789abcdef' }).metricsToken).toBe('0123456789abcdef');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: must be a port number (1–65535)'],
    [{ MCR_LANGUAGE: 'fr' }, 'MCR_LANGUAGE: must be one of en, zh-CN'],
    [{ MCR_TIMEZONE: 'Nowhere/City' }, 'MCR_TIMEZONE: must be an IANA time zone such as Asia/Shanghai'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be file:PATH (SQLite) or postgres://… (PostgreSQL)'],
    [{ TEAMS_ENABLED: 'maybe' }, 'TEAMS_ENABLED: must be true or false, got "maybe"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of debug, info, warn, error'],
    [{ SLACK_BOT_TOKEN: 'abc' }, 'SLACK_BOT_TOKEN: must be a bot token starting with xoxb-'],
    [{ MICROSOFT_APP_ID: 'app-1' }, 'MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID'],
    [{ MICROSOFT_APP_ID: 'app-1', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' }, 'MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is SingleTenant'],
    [{ MICROSOFT_APP_TYPE: 'Global' }, 'MICROSOFT_APP_TYPE: must be MultiTenant, SingleTenant or UserAssignedMSI'],
    [{ DATABASE_POOL_SIZE: 'many' }, 'DATABASE_POOL_SIZE: must be a whole number from 1 to 1000'],
    [{ SLACK_ANSWER_THREADS: '0' }, 'SLACK_ANSWER_THREADS: must be a whole number from 1 to 8'],
    [{ SLACK_ANSWER_THREADS: '2.5' }, 'SLACK_ANSWER_THREADS: must be a whole number from 1 to 8'],
    [{ MICROSOFT_OPENID_METADATA_URL: 'http://keys.example.com/.well-known/openidconfiguration' }, 'MICROSOFT_OPENID_METADATA_URL: must be an https:// URL'],
    [{ MICROSOFT_OPENID_METADATA_URL: 'keys' }, 'MICROSOFT_OPENID_METADATA_URL: must be an https:// URL'],
    [{ TEAMS_ENABLED: 'true', NODE_ENV: 'production' }, 'TEAMS_ENABLED: without MICROSOFT_APP_ID Teams is an unauthenticated local development mode, refused with NODE_ENV=production'],
    [{ METRICS_TOKEN: 'too-short' }, 'METRICS_TOKEN: must be at least 16 characters'],
    [{ METRICS_TOKEN: 'long enough but has spaces' }, 'METRICS_TOKEN: must be at least 16 characters without spaces'],
  ])('%o stops start-up naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes the OpenID metadata URL over https, or over http to this machine (tests)', () => {
    expect(loadConfig({}).teams.openIdMetadataUrl).toBeUndefined();
    for (const url of ['https://login.example.com/v1/.well-known/openidconfiguration', 'http://127.0.0.1:4000/v1/.well-known/openidconfiguration', 'http://localhost:4000/x']) {
      expect(loadConfig({ MICROSOFT_OPENID_METADATA_URL: url }).teams.openIdMetadataUrl).toBe(url);
    }
  });

  it('keeps Teams without credentials to local development: refused in production, local-only elsewhere', () => {
    expect(isLocalOnly(loadConfig({ TEAMS_ENABLED: 'true' }))).toBe(true);
    expect(isLocalOnly(loadConfig({ TEAMS_ENABLED: 'true', NODE_ENV: 'development' }))).toBe(true);
    expect(isLocalOnly(loadConfig({ TEAMS_ENABLED: 'true', MICROSOFT_APP_ID: 'app-1', MICROSOFT_APP_PASSWORD: 'p', NODE_ENV: 'production' }))).toBe(false);
    expect(isLocalOnly(loadConfig({ MICROSOFT_APP_ID: 'app-1', MICROSOFT_APP_PASSWORD: 'p' }))).toBe(false);
    expect(isLocalOnly(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', NODE_ENV: 'production' }))).toBe(false);
  });

  it('splits lists and switches channels on', () => {
    const config = loadConfig({ MCR_ADMINS: 'a@x.com, U123 ,', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', TEAMS_ENABLED: 'true' });
    expect(config.admins).toEqual(['a@x.com', 'U123']);
    expect(channelsOf(config)).toEqual({ slack: true, teams: true });
  });

  it('lays a rules file over the defaults (mcr-model.md: every default is configurable)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-rules-'));
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ cadence: { key_contact_touch: { strategic: 21 } }, careAheadDays: 10 }));
    const rules = loadConfig({ MCR_RULES_FILE: file }).rules;
    expect(rules.cadence.key_contact_touch).toEqual({ strategic: 21, partner: 45, priority: 60, general: 90 });
    expect(rules.careAheadDays).toBe(10);
    expect(rules.tierReviewDays).toBe(180);
    writeFileSync(file, JSON.stringify({ careAheadDays: -1 }));
    expect(() => loadConfig({ MCR_RULES_FILE: file })).toThrow(/^MCR_RULES_FILE: careAheadDays: /);
    writeFileSync(file, JSON.stringify({ nonsense: 1 }));
    expect(() => loadConfig({ MCR_RULES_FILE: file })).toThrow(/^MCR_RULES_FILE: /);
  });

  it('refuses a rules file that changes what mcr-model.md §3 fixes, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcr-rules-'));
    const file = join(dir, 'rules.json');
    for (const key of ['attitudeWindowDays', 'trendLookbackDays', 'trendFlatBand', 'levels', 'dimensions']) {
      writeFileSync(file, JSON.stringify({ careAheadDays: 10, [key]: 30 }));
      expect(() => loadConfig({ MCR_RULES_FILE: file }), key).toThrow(new RegExp(`^MCR_RULES_FILE: ${key} is fixed by mcr-model\\.md §3 .*remove it`));
    }
    writeFileSync(file, JSON.stringify({ careAheadDays: 10 }));
    expect(loadConfig({ MCR_RULES_FILE: file }).rules.attitudeWindowDays).toBe(365);
  });

  it('takes MCR_OPERATOR as an email (lower-cased), refuses anything else, and is unset by default', () => {
    expect(loadConfig({ MCR_OPERATOR: ' Alice@Example.com ' }).operator).toBe('alice@example.com');
    expect(loadConfig({}).operator).toBeUndefined();
    expect(() => loadConfig({ MCR_OPERATOR: 'alice' })).toThrow(/^MCR_OPERATOR: must be an email/);
  });
});
