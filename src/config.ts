import { existsSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import { isTimeZone } from './domain/dates.ts';
import { defaultRules, FIXED_RULES, fixedRuleIn, mergeRules, rulesOverrideSchema, type Rules } from './domain/rules.ts';
import { LOCALES, type Locale } from './i18n/index.ts';
import { LOG_LEVELS, type LogLevel } from './log.ts';

/** The settings of interfaces.md, validated. This file is the only reader of `process.env`. */
export interface Config {
  databaseUrl: string;
  /** PostgreSQL connections per pool (`DATABASE_POOL_SIZE`): the main thread's and each Slack answers thread's. */
  databasePoolSize: number;
  /** How long a scheduled send's claim holds before another instance may take it over (`MCR_CLAIM_LEASE_SECONDS`). */
  claimLeaseMs: number;
  port: number;
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    /** Threads answering Slack's requests over HTTP (`SLACK_ANSWER_THREADS`; slack/answers-thread.ts). */
    answerThreads: number;
  };
  teams: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    enabled: boolean;
    /** Where Bot Framework signing keys are published (`MICROSOFT_OPENID_METADATA_URL`); unset = Microsoft's. */
    openIdMetadataUrl?: string;
  };
  language: Locale;
  timezone: string;
  allowedUsers: string[];
  admins: string[];
  logLevel: LogLevel;
  /** Bearer token of `GET /metrics`; unset: no metrics at all (`METRICS_TOKEN`). */
  metricsToken?: string;
  /** The email of the person the console and the CLI act as (`MCR_OPERATOR`); unset: the OS user. */
  operator?: string;
  rules: Rules;
}

/** The shortest `METRICS_TOKEN` taken: the endpoint is on the bot's public port. */
export const METRICS_TOKEN_MIN = 16;

/** A setting that cannot be used: start-up stops with this one line. */
export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const optional = z.string().trim().optional().transform((v) => (v ? v : undefined));
const list = optional.transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));
const boolean = optional.transform((v, ctx) => {
  if (v === undefined) return false;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false, got "${v}"` });
  return z.NEVER;
});

const envSchema = z.object({
  DATABASE_URL: optional.default('file:./data/mcr.sqlite').refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v!), {
    message: 'must be file:PATH (SQLite) or postgres://… (PostgreSQL)',
  }),
  DATABASE_POOL_SIZE: optional.default('10').refine((v) => /^\d+$/.test(v!) && Number(v) >= 1 && Number(v) <= 1000, { message: 'must be a whole number from 1 to 1000' }),
  PORT: optional.default('3000').refine((v) => /^\d+$/.test(v!) && Number(v) > 0 && Number(v) < 65536, { message: 'must be a port number (1–65535)' }),
  SLACK_BOT_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xoxb-'), { message: 'must be a bot token starting with xoxb-' }),
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional.refine((v) => v === undefined || v.startsWith('xapp-'), { message: 'must be an app-level token starting with xapp-' }),
  SLACK_API_URL: optional.refine((v) => v === undefined || URL.canParse(v), { message: 'must be a URL' }),
  SLACK_ANSWER_THREADS: optional.default('2').refine((v) => /^[1-8]$/.test(v!), { message: 'must be a whole number from 1 to 8' }),
  MICROSOFT_APP_ID: optional,
  MICROSOFT_APP_PASSWORD: optional,
  MICROSOFT_APP_TENANT_ID: optional,
  MICROSOFT_APP_TYPE: optional.default('MultiTenant').refine((v) => ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(v!), {
    message: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
  }),
  TEAMS_ENABLED: boolean,
  MICROSOFT_OPENID_METADATA_URL: optional.refine((v) => v === undefined || isSecureUrl(v), {
    message: 'must be an https:// URL (http:// only to 127.0.0.1 or localhost, for tests)',
  }),
  NODE_ENV: optional,
  MCR_LANGUAGE: optional.default('en').refine((v) => (LOCALES as readonly string[]).includes(v!), { message: `must be one of ${LOCALES.join(', ')}` }),
  MCR_TIMEZONE: optional.default('UTC').refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' }),
  MCR_ALLOWED_USERS: list,
  MCR_ADMINS: list,
  METRICS_TOKEN: optional.refine((v) => v === undefined || (v.length >= METRICS_TOKEN_MIN && /^[\x21-\x7e]+$/.test(v)), {
    message: `must be at least ${METRICS_TOKEN_MIN} characters without spaces (a random secret, e.g. from openssl rand -hex 24)`,
  }),
  LOG_LEVEL: optional.default('info').refine((v) => (LOG_LEVELS as readonly string[]).includes(v!), { message: `must be one of ${LOG_LEVELS.join(', ')}` }),
  MCR_RULES_FILE: optional,
  MCR_OPERATOR: optional.refine((v) => v === undefined || z.email().safeParse(v).success, { message: 'must be an email, such as alice@example.com' }),
  MCR_CLAIM_LEASE_SECONDS: optional.default('120').refine((v) => /^\d+$/.test(v!) && Number(v) >= 1, { message: 'must be a whole number of seconds, at least 1' }),
});

/** Reads and checks the settings; throws {@link ConfigError} naming the first bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const e = parsed.data;
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError('SLACK_SIGNING_SECRET', 'required with SLACK_BOT_TOKEN to verify Slack requests (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (e.MICROSOFT_APP_ID && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !e.MICROSOFT_APP_PASSWORD) {
    throw new ConfigError('MICROSOFT_APP_PASSWORD', 'required with MICROSOFT_APP_ID (the client secret of the bot registration)');
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError('MICROSOFT_APP_TENANT_ID', 'required when MICROSOFT_APP_TYPE is SingleTenant (the directory id of your tenant)');
  }
  if (e.TEAMS_ENABLED && !e.MICROSOFT_APP_ID && e.NODE_ENV === 'production') {
    throw new ConfigError(
      'TEAMS_ENABLED',
      'without MICROSOFT_APP_ID Teams is an unauthenticated local development mode, refused with NODE_ENV=production: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (or unset TEAMS_ENABLED)',
    );
  }
  return {
    databaseUrl: e.DATABASE_URL!,
    databasePoolSize: Number(e.DATABASE_POOL_SIZE),
    port: Number(e.PORT),
    slack: { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL, answerThreads: Number(e.SLACK_ANSWER_THREADS) },
    teams: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE as Config['teams']['appType'],
      enabled: e.TEAMS_ENABLED,
      openIdMetadataUrl: e.MICROSOFT_OPENID_METADATA_URL,
    },
    language: e.MCR_LANGUAGE as Locale,
    timezone: e.MCR_TIMEZONE!,
    allowedUsers: e.MCR_ALLOWED_USERS,
    admins: e.MCR_ADMINS,
    logLevel: e.LOG_LEVEL as LogLevel,
    ...(e.METRICS_TOKEN && { metricsToken: e.METRICS_TOKEN }),
    ...(e.MCR_OPERATOR && { operator: e.MCR_OPERATOR.toLowerCase() }),
    rules: e.MCR_RULES_FILE ? loadRules(e.MCR_RULES_FILE) : defaultRules,
    claimLeaseMs: Number(e.MCR_CLAIM_LEASE_SECONDS) * 1000,
  };
}

/** mcr-model.md's defaults with an admin's JSON overrides laid over them. */
function loadRules(path: string): Rules {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('MCR_RULES_FILE', `cannot read ${path}: ${(error as Error).message}`);
  }
  const fixed = fixedRuleIn(json);
  if (fixed) throw new ConfigError('MCR_RULES_FILE', `${fixed} is fixed by mcr-model.md §3 (${FIXED_RULES[fixed]}) and cannot be changed; remove it from ${path}`);
  const parsed = rulesOverrideSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('MCR_RULES_FILE', `${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return mergeRules(parsed.data);
}

/** Which channels the settings switch on (interfaces.md "Run it"). */
export function channelsOf(config: Config): { slack: boolean; teams: boolean } {
  return { slack: config.slack.botToken !== undefined, teams: config.teams.appId !== undefined || config.teams.enabled };
}

/**
 * Teams switched on without a bot registration: nothing is authenticated, so the
 * whole HTTP server listens on 127.0.0.1 only (interfaces.md, `TEAMS_ENABLED`).
 */
export function isLocalOnly(config: Config): boolean {
  return config.teams.enabled && config.teams.appId === undefined;
}

/**
 * A URL signing keys may be fetched from: https, or plain http to this machine only
 * (a local fake in tests), since whoever can alter the answer can forge tokens.
 */
export function isSecureUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}

/**
 * Entry points (`npm start`, `mcr`, `teams:package`) read `.env` in the working
 * folder when there is one; variables already set in the environment win.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** The settings, or `undefined` after writing the one line that says which is malformed. */
export function loadConfigOrSay(stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`${error.message}\n`);
    return undefined;
  }
}
