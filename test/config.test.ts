import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelsOf, loadConfig } from '../src/config.ts';
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
    [{ METRICS_TOKEN: 'too-short' }, 'METRICS_TOKEN: must be at least 16 characters'],
    [{ METRICS_TOKEN: 'long enough but has spaces' }, 'METRICS_TOKEN: must be at least 16 characters without spaces'],
  ])('%o stops start-up naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
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
});
