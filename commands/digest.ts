import { arg, flag, type Args } from '../src/core/args.ts';
import { defineCommand, type ChatChannel, type Context } from '../src/core/command.ts';
import { accountsInScope, buildDigest, digestReply, periodEnding } from '../src/core/digest.ts';
import { AppError, InputError, invalidField, type Message } from '../src/core/errors.ts';
import { listValue } from '../src/core/forms.ts';
import type { Reply } from '../src/core/reply.ts';
import { matchId, resolveAccount } from '../src/core/resolve.ts';
import { transact } from '../src/core/transact.ts';
import { deleteSubscription, findSubscription, listSubscriptions, saveSubscription, type DigestScope, type DigestSubscription } from '../src/db/digest.repository.ts';
import { findPeopleByIds } from '../src/db/person.repository.ts';
import { listAccountsWhere } from '../src/db/account.repository.ts';
import { isTimeZone } from '../src/domain/dates.ts';
import { nextSlot, type Schedule } from '../src/domain/schedule.ts';
import { TIERS } from '../src/domain/model.ts';
import { label, localeFromTag, t, type Locale } from '../src/i18n/index.ts';

const SHORT_DAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7, 星期一: 1, 星期二: 2, 星期三: 3, 星期四: 4, 星期五: 5, 星期六: 6, 星期日: 7, 星期天: 7, 周天: 7 };
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;

/** `digest subscribe|unsubscribe|list|preview` (interfaces.md): the scheduled digest of a channel. */
export const digest = defineCommand({
  name: 'digest',
  usage: 'digest subscribe [weekly|daily] [day] [HH:MM] [zone] [--tier T | --accounts "A, B" | --mine] [--lang en|zh-CN] | digest unsubscribe | digest list | digest preview',
  grammar: {
    flags: { channel: arg.text('slack:C123') },
    subs: {
      subscribe: { subject: { name: 'schedule' }, flags: { tier: arg.choice(TIERS, 'tier'), accounts: arg.list('"A, B"'), mine: arg.boolean(), lang: arg.choice(['en', 'zh-CN']) } },
      unsubscribe: {},
      list: {},
      preview: { flags: { tier: arg.choice(TIERS, 'tier'), accounts: arg.list('"A, B"'), mine: arg.boolean(), daily: arg.boolean() } },
    },
  },
  summary: 'cmd.digest.summary',
  examples: ['digest subscribe', 'digest subscribe weekly friday 17:00 Asia/Shanghai --tier strategic', 'digest preview --mine', 'digest list'],
  run: async (ctx, args) => {
    const [sub, ...words] = args.positional;
    switch (sub?.toLowerCase()) {
      case 'subscribe':
        return subscribe(ctx, words, args);
      case 'unsubscribe':
        return unsubscribe(ctx, args);
      case 'list':
        return list(ctx);
      case 'preview':
        return preview(ctx, args);
      default:
        throw new AppError('command.usage', { usage: digest.usage });
    }
  },
});

/** The channel the command is about: where it was typed, or `--channel slack:C123` from the CLI. */
function channelOf(ctx: Context, args: Args): ChatChannel {
  const given = flag(args, 'channel');
  const match = given ? /^(slack|teams):(.+)$/.exec(given) : undefined;
  if (match) return { platform: match[1] as ChatChannel['platform'], id: match[2]! };
  if (ctx.channel && !given) return ctx.channel;
  throw new AppError('digest.need_channel');
}

/** Words of `subscribe` in any order: weekly|daily, a weekday, HH:MM, an IANA zone. */
function parseSchedule(ctx: Context, words: string[]): Schedule {
  const schedule: Schedule = { frequency: 'weekly', weekday: 1, time: '09:00', timezone: ctx.timezone };
  const errors: Record<string, Message> = {};
  for (const word of words) {
    const lower = word.toLowerCase();
    if (lower === 'weekly' || lower === 'daily' || word === '每周' || word === '每天') schedule.frequency = lower === 'daily' || word === '每天' ? 'daily' : 'weekly';
    else if (/^\d{1,2}:\d{2}$/.test(word)) {
      const [h, m] = word.split(':').map(Number) as [number, number];
      if (h > 23 || m > 59) errors.time = { code: 'digest.bad_time' };
      else schedule.time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    } else if (SHORT_DAYS[lower.slice(0, 3)] && /^[a-z]+$/.test(lower)) schedule.weekday = SHORT_DAYS[lower.slice(0, 3)]!;
    else if (SHORT_DAYS[word] || matchId('weekday', WEEKDAYS, word)) schedule.weekday = SHORT_DAYS[word] ?? Number(matchId('weekday', WEEKDAYS, word));
    else if (word.includes('/') || word === 'UTC') {
      if (isTimeZone(word)) schedule.timezone = word;
      else errors.zone = { code: 'digest.bad_zone' };
    } else errors[word] = { code: 'digest.bad_word', values: { word } };
  }
  if (Object.keys(errors).length > 0) throw new InputError(errors);
  return schedule;
}

/** `--tier T`, `--accounts "A, B"`, `--mine`; all accounts otherwise. */
async function parseScope(ctx: Context, args: Args): Promise<DigestScope> {
  const tier = flag(args, 'tier');
  if (tier) {
    const id = matchId('tier', TIERS, tier);
    if (!id) throw new InputError({ tier: invalidField('tier', { code: 'validation.one_of', values: { values: TIERS.join(', ') } }) });
    return { kind: 'tier', tier: id };
  }
  const names = flag(args, 'accounts');
  if (names) {
    const ids: number[] = [];
    for (const name of listValue(names)) ids.push((await resolveAccount(ctx, name)).id);
    return { kind: 'accounts', accountIds: [...new Set(ids)] };
  }
  if (args.flags.mine) return { kind: 'mine', personId: ctx.actor.id };
  return { kind: 'all' };
}

/** A channel's digest is changed by whoever subscribed it, or an admin (issue 4's access rules). */
async function mayChange(ctx: Context, existing: DigestSubscription | undefined): Promise<void> {
  if (!existing || ctx.isAdmin || existing.createdBy === null || existing.createdBy === ctx.actor.id) return;
  const owner = (await findPeopleByIds(ctx.db, [existing.createdBy])).get(existing.createdBy);
  throw new AppError('digest.owner_only', { name: owner?.name ?? `#${existing.createdBy}` });
}

async function subscribe(ctx: Context, words: string[], args: Args): Promise<Reply> {
  const channel = channelOf(ctx, args);
  const schedule = parseSchedule(ctx, words);
  const scope = await parseScope(ctx, args);
  const lang = flag(args, 'lang');
  const locale: Locale = lang ? localeFromTag(lang, ctx.locale) : ctx.locale;
  await mayChange(ctx, await findSubscription(ctx.db, channel.platform, channel.id));
  return transact(ctx, 'digest.subscribe', async (w) => {
    const saved = await saveSubscription(w.trx, { platform: channel.platform, channelId: channel.id, schedule, scope, locale, createdBy: ctx.actor.id > 0 ? ctx.actor.id : null }, ctx.now);
    await w.audit('digest.subscribe', 'digest_subscription', saved.id, { channel: `${channel.platform}:${channel.id}`, schedule, scope });
    const next = nextSlot(schedule, ctx.now);
    return {
      blocks: [{ type: 'text', text: t(ctx.locale, 'digest.subscribed', { ...(await describe({ ...ctx, db: w.trx }, saved)), next: `${next.date} ${schedule.time}` }), tone: 'success' }],
      visibility: 'shared',
      data: { subscription: subscriptionJson(saved), next: next.at.toISOString() },
    };
  });
}

async function unsubscribe(ctx: Context, args: Args): Promise<Reply> {
  const channel = channelOf(ctx, args);
  const existing = await findSubscription(ctx.db, channel.platform, channel.id);
  if (!existing) throw new AppError('digest.not_subscribed');
  await mayChange(ctx, existing);
  return transact(ctx, 'digest.unsubscribe', async (w) => {
    await deleteSubscription(w.trx, existing.id);
    await w.audit('digest.unsubscribe', 'digest_subscription', existing.id, { channel: `${channel.platform}:${channel.id}` });
    return { blocks: [{ type: 'text', text: t(ctx.locale, 'digest.unsubscribed'), tone: 'success' }], visibility: 'shared', data: { unsubscribed: subscriptionJson(existing) } };
  });
}

/** Every subscription with its schedule, accounts, language, last sent and last error. */
async function list(ctx: Context): Promise<Reply> {
  const L = ctx.locale;
  const subs = await listSubscriptions(ctx.db);
  if (subs.length === 0) return { blocks: [{ type: 'text', text: t(L, 'digest.none'), tone: 'muted' }], visibility: 'private', data: { subscriptions: [] } };
  const rows: string[][] = [];
  for (const sub of subs) {
    const d = await describe(ctx, sub);
    rows.push([`${sub.platform}:${sub.channelId}`, `${d.frequency} · ${d.when} (${d.zone})`, d.scope, d.language, sub.lastSentAt?.slice(0, 16).replace('T', ' ') ?? t(L, 'digest.never'), sub.lastError ? `${sub.lastErrorAt?.slice(0, 16).replace('T', ' ')} ${sub.lastError}` : '—']);
  }
  return {
    title: t(L, 'digest.list_title'),
    blocks: [{ type: 'table', columns: [t(L, 'digest.channel'), t(L, 'digest.schedule'), t(L, 'digest.scope'), t(L, 'digest.language'), t(L, 'digest.last_sent'), t(L, 'digest.last_error')], rows, optional: [5, 3, 4] }],
    visibility: 'private',
    data: { subscriptions: subs.map(subscriptionJson) },
  };
}

/** The digest as it would be now, to the asker only: this channel's scope, else the flags' (all accounts by default). */
async function preview(ctx: Context, args: Args): Promise<Reply> {
  const given = flag(args, 'tier') || flag(args, 'accounts') || args.flags.mine;
  const subscribed = !given && ctx.channel ? await findSubscription(ctx.db, ctx.channel.platform, ctx.channel.id) : undefined;
  const scope = subscribed?.scope ?? (await parseScope(ctx, args));
  const frequency = subscribed?.schedule.frequency ?? (args.flags.daily ? 'daily' : 'weekly');
  const accounts = await accountsInScope(ctx, scope);
  const built = await buildDigest(ctx, accounts, periodEnding(ctx.today, frequency));
  return { ...digestReply(ctx, built), visibility: 'private' };
}

async function describe(ctx: Context, sub: DigestSubscription) {
  const L = ctx.locale;
  const { schedule, scope } = sub;
  let scopeText: string;
  if (scope.kind === 'tier') scopeText = t(L, 'digest.scope.tier', { tier: label(L, 'tier', scope.tier) });
  else if (scope.kind === 'accounts') scopeText = (await listAccountsWhere(ctx.db, { ids: scope.accountIds })).map((a) => a.name).join(', ');
  else if (scope.kind === 'mine') scopeText = t(L, 'digest.scope.mine', { name: (await findPeopleByIds(ctx.db, [scope.personId])).get(scope.personId)?.name ?? `#${scope.personId}` });
  else scopeText = t(L, 'digest.scope.all');
  return {
    frequency: t(L, `digest.frequency.${schedule.frequency}`),
    when: schedule.frequency === 'weekly' ? t(L, 'digest.when.weekly', { day: t(L, `weekday.${schedule.weekday}` as 'weekday.1'), time: schedule.time }) : t(L, 'digest.when.daily', { time: schedule.time }),
    zone: schedule.timezone,
    scope: scopeText,
    language: t(L, `language.${sub.locale}`),
  };
}

function subscriptionJson(sub: DigestSubscription) {
  return {
    id: sub.id,
    channel: { platform: sub.platform, id: sub.channelId },
    frequency: sub.schedule.frequency,
    ...(sub.schedule.frequency === 'weekly' && { day: sub.schedule.weekday }),
    time: sub.schedule.time,
    zone: sub.schedule.timezone,
    scope: sub.scope,
    language: sub.locale,
    lastSentAt: sub.lastSentAt,
    lastError: sub.lastError,
  };
}
