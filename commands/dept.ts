import * as z from 'zod';
import { findDepartmentRecord, saveDepartmentRecord, saveWeighting } from '../src/db/department.repository.ts';
import { arg, type Args } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { loadDepartmentView, type DepartmentView } from '../src/core/departments.ts';
import { AppError, InputError, invalidField, NameError } from '../src/core/errors.ts';
import { ref } from '../src/core/format.ts';
import { options, submitOrReturn, valuesFromFlags } from '../src/core/forms.ts';
import { accountTeam, mayChangeRoles } from '../src/core/permissions.ts';
import type { Block, Form, FormValues, Reply } from '../src/core/reply.ts';
import { matchId, resolveAccount } from '../src/core/resolve.ts';
import { transact } from '../src/core/transact.ts';
import { blankToUndefined, nameText, validate } from '../src/core/validate.ts';
import { PROCESS_PERIOD_DAYS, SUPPORT_LEVELS, WEIGHTINGS, type DepartmentRecord, type MissingItem, type Weighting } from '../src/domain/department.ts';
import type { Account } from '../src/domain/types.ts';
import { t, type Locale } from '../src/i18n/index.ts';

const FIELDS = ['department', 'target', 'support', 'channel_open', 'incident'];
const YES_NO = ['yes', 'no'] as const;
const schema = z.object({
  department: nameText(100),
  // Whole numbers only: "lots" is not valid, "-2" is below 1.
  target: z.string().regex(/^[-+]?\d+$/).transform(Number).pipe(z.number().int().min(1).max(10000)).optional(),
  support: z.enum(SUPPORT_LEVELS).optional(),
  channel_open: z.enum(YES_NO).optional(),
  incident: z.enum(YES_NO).optional(),
});

/**
 * `dept <account>`: §11 department scores (the broad layer) — process, result and
 * combined per customer department, and what is missing. `dept set` records one
 * department (a form in chat without flags); `dept weighting` picks 30/70 or 20/80.
 * Who may record: the account team and admins (permissions.ts `accountTeam`).
 */
export const dept = defineCommand({
  name: 'dept',
  usage:
    'dept <account> | dept set <account> <department> [--target N] [--support friction|smooth|supports_decisions] [--channel-open yes|no] [--incident yes|no] | dept weighting <account> 30/70|20/80',
  grammar: {
    subject: { name: 'account', required: true },
    subOptional: true,
    subs: {
      set: {
        subject: { name: 'account', required: true },
        flags: { target: arg.number(), support: arg.choice(SUPPORT_LEVELS, 'support'), 'channel-open': arg.choice(YES_NO, 'yesno'), incident: arg.choice(YES_NO, 'yesno') },
      },
      weighting: { subject: { name: 'account', required: true } },
    },
  },
  summary: 'cmd.dept.summary',
  examples: ['dept Acme', 'dept set Acme Operations --target 4 --support smooth --channel-open yes --incident no', 'dept weighting Acme 20/80'],
  run: async (ctx, args) => {
    const [sub, ...rest] = args.positional;
    if (sub === 'set' && rest.length > 0) return set(ctx, args, rest);
    if (sub === 'weighting' && rest.length > 1) return setWeighting(ctx, rest);
    if (!sub || sub === 'set' || sub === 'weighting') throw new AppError('command.usage', { usage: dept.usage });
    return show(ctx, await resolveAccount(ctx, args.positional.join(' ')));
  },
  forms: {
    'dept.set': {
      submit: async (ctx, values, context) => {
        const account = await resolveAccount(ctx, `#${context.account}`);
        guardTeam(ctx, account);
        return submit(ctx, account, values);
      },
    },
  },
});

async function show(ctx: Context, account: Account): Promise<Reply> {
  const L = ctx.locale;
  const view = (await loadDepartmentView(ctx.db, account, ctx.today, { recordedOnly: false }))!;
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: t(L, 'field.weighting'), value: weightingText(L, view.weighting) },
        { label: t(L, 'field.period'), value: t(L, 'dept.period', { from: view.from, to: view.to, days: PROCESS_PERIOD_DAYS }) },
      ],
    },
  ];
  if (view.departments.length === 0) blocks.push({ type: 'text', text: t(L, 'dept.none', { account: account.name }), tone: 'muted' });
  else {
    blocks.push({
      type: 'table',
      columns: [t(L, 'field.department'), t(L, 'field.activities'), t(L, 'field.process'), t(L, 'field.result'), t(L, 'field.combined'), t(L, 'field.missing')],
      rows: view.departments.map((d) => [
        d.department,
        `${d.activities}/${d.target ?? '—'}`,
        score(d.process),
        score(d.result),
        score(d.combined),
        d.missing.length > 0 ? missingText(L, d.missing) : '—',
      ]),
    });
    const empty = view.departments.filter((d) => d.contacts === 0).map((d) => d.department);
    if (empty.length > 0) blocks.push({ type: 'text', text: t(L, 'dept.no_contacts', { departments: empty.join(t(L, 'list.separator')) }), tone: 'muted' });
  }
  blocks.push({ type: 'actions', actions: [{ label: t(L, 'action.dept_set'), command: `dept set #${account.id}`, style: 'primary' }] });
  return {
    title: t(L, 'dept.title', { name: account.name }),
    blocks,
    visibility: 'private',
    share: `dept #${account.id}`,
    data: { account: ref(account), ...departmentJson(view) },
  };
}

/** `dept set <account> <department> [flags]`: with flags it records; without, it opens the form. */
async function set(ctx: Context, args: Args, words: string[]): Promise<Reply> {
  const { account, department } = await splitAccount(ctx, words);
  guardTeam(ctx, account);
  const current = department ? await findDepartmentRecord(ctx.db, account.id, department) : undefined;
  const base: FormValues = current ? recordValues(current.record) : { department };
  const given = valuesFromFlags(args.flags, FIELDS);
  if (Object.keys(given).length > 0) return submit(ctx, account, { ...base, ...given, ...(department !== undefined && { department }) });
  return { blocks: [], form: deptForm(ctx, account, base), visibility: 'private' };
}

/**
 * The words after `set` are the account then the department: the longest run of leading
 * words that names one account is the account (`dept set Acme Telecom IT Operations`).
 * All the words naming an account means the department is missing.
 */
async function splitAccount(ctx: Context, words: string[]): Promise<{ account: Account; department: string | undefined }> {
  const attempt = (n: number) => resolveAccount(ctx, words.slice(0, n).join(' ')).catch((error: unknown) => {
    if (error instanceof NameError) return undefined;
    throw error;
  });
  for (let n = words.length; n >= 1; n--) {
    const account = await attempt(n);
    if (account) return { account, department: n < words.length ? words.slice(n).join(' ') : undefined };
  }
  // Nothing matched: the answer for the first word, with its closest names.
  return { account: await resolveAccount(ctx, words[0]!), department: undefined };
}

function guardTeam(ctx: Context, account: Account): void {
  if (mayChangeRoles({ id: ctx.actor.id, isAdmin: ctx.isAdmin }, accountTeam(account))) return;
  ctx.log.warn('department score refused', { actor: ctx.actor.id, account: account.id });
  throw new AppError('access.account_team', { name: account.name });
}

function recordValues(record: DepartmentRecord): FormValues {
  const yesNo = (v: boolean | null) => (v === null ? undefined : v ? 'yes' : 'no');
  return {
    department: record.department,
    target: record.target === null ? undefined : String(record.target),
    support: record.support ?? undefined,
    channel_open: yesNo(record.channelOpen),
    incident: yesNo(record.incidentSpread),
  };
}

function deptForm(ctx: Context, account: Account, values: FormValues): Form {
  const L = ctx.locale;
  return {
    id: 'dept.set',
    title: t(L, 'dept.form_title', { name: account.name }),
    submitLabel: t(L, 'form.save'),
    fields: [
      { id: 'department', kind: 'text', label: t(L, 'field.department'), required: true, maxLength: 100 },
      { id: 'target', kind: 'number', label: t(L, 'field.target'), hint: t(L, 'hint.target', { days: PROCESS_PERIOD_DAYS }), required: false, min: 1, max: 10000 },
      { id: 'support', kind: 'choice', label: t(L, 'field.support'), required: false, options: options(L, 'support', SUPPORT_LEVELS) },
      { id: 'channel_open', kind: 'choice', label: t(L, 'field.channel_open'), required: false, options: options(L, 'yesno', YES_NO) },
      { id: 'incident', kind: 'choice', label: t(L, 'field.incident'), required: false, options: options(L, 'yesno', YES_NO) },
    ],
    values,
    errors: {},
    context: { account: String(account.id) },
  };
}

/** Validates the whole state of one department and writes it once (a retried submit replays the first reply). */
async function submit(ctx: Context, account: Account, values: FormValues): Promise<Reply> {
  const L = ctx.locale;
  return submitOrReturn(ctx, (v) => deptForm(ctx, account, v), values, async () => {
    const raw: Record<string, unknown> = {};
    for (const field of FIELDS) raw[field] = blankToUndefined(values[field]);
    // Ids or labels in either language ("smooth", "合作顺畅", "是").
    if (typeof raw.support === 'string') raw.support = matchId('support', SUPPORT_LEVELS, raw.support) ?? raw.support;
    for (const field of ['channel_open', 'incident']) if (typeof raw[field] === 'string') raw[field] = matchId('yesno', YES_NO, raw[field] as string) ?? raw[field];
    const input = validate(schema, raw);
    const yes = (v: 'yes' | 'no' | undefined) => (v === undefined ? null : v === 'yes');
    return transact(ctx, 'dept', async (w) => {
      const existing = await findDepartmentRecord(w.trx, account.id, input.department);
      const record: DepartmentRecord = {
        department: existing?.record.department ?? input.department,
        target: input.target ?? null,
        support: input.support ?? null,
        channelOpen: yes(input.channel_open),
        incidentSpread: yes(input.incident),
      };
      const id = await saveDepartmentRecord(w.trx, account.id, record, ctx.actor.id, ctx.now);
      await w.audit('department.set', 'account', account.id, {
        department: record.department, row: id, target: record.target, support: record.support, channel_open: record.channelOpen, incident_spread: record.incidentSpread,
      });
      const view = (await loadDepartmentView(w.trx, account, ctx.today, { recordedOnly: true }))!;
      const item = view.departments.find((d) => d.department === record.department)!;
      return {
        blocks: [
          { type: 'text', text: t(L, 'dept.recorded', { department: record.department, account: account.name }), tone: 'success' },
          { type: 'list', items: [departmentLine(L, item)] },
          { type: 'actions', actions: [{ label: t(L, 'action.dept_show'), command: `dept #${account.id}` }] },
        ],
        visibility: 'private',
        data: { account: ref(account), weighting: view.weighting, department: departmentItemJson(item) },
      };
    });
  });
}

/** `dept weighting <account> 30/70|20/80` (§11): the account's choice, audited. */
async function setWeighting(ctx: Context, words: string[]): Promise<Reply> {
  const L = ctx.locale;
  const typed = words[words.length - 1]!;
  const account = await resolveAccount(ctx, words.slice(0, -1).join(' '));
  guardTeam(ctx, account);
  const m = /^(\d+)\s*[/_:\-–]\s*(\d+)$/.exec(typed.replace('／', '/'));
  const weighting = m ? (`${m[1]}_${m[2]}` as Weighting) : undefined;
  if (!weighting || !WEIGHTINGS.includes(weighting)) {
    throw new InputError({ weighting: invalidField('weighting', { code: 'validation.one_of', values: { values: '30/70, 20/80' } }) });
  }
  return transact(ctx, 'dept', async (w) => {
    await saveWeighting(w.trx, account.id, weighting, ctx.actor.id, ctx.now);
    await w.audit('department.weighting', 'account', account.id, { weighting });
    return {
      blocks: [{ type: 'text', text: t(L, 'dept.weighting_set', { account: account.name, weighting: weightingText(L, weighting) }), tone: 'success' }],
      visibility: 'private',
      data: { account: ref(account), weighting },
    };
  });
}

const score = (value: number | null) => (value === null ? '—' : String(value));

function weightingText(L: Locale, weighting: Weighting): string {
  const [process, result] = weighting.split('_');
  return t(L, 'dept.weighting', { process: process!, result: result! });
}

function missingText(L: Locale, missing: readonly MissingItem[]): string {
  return missing.map((m) => t(L, `dept.missing.${m}` as 'dept.missing.target')).join(t(L, 'list.separator'));
}

type Item = DepartmentView['departments'][number];

/** One department in a line, as brief and tier show it. */
function departmentLine(L: Locale, d: Item): string {
  return d.combined === null
    ? t(L, 'dept.item_incomplete', { department: d.department, missing: missingText(L, d.missing) })
    : t(L, 'dept.item', { department: d.department, combined: d.combined, process: score(d.process), result: score(d.result) });
}

/** `--json`: stable snake_case names; scores 0–100 or null; yes/no items as booleans or null. */
function departmentItemJson(d: Item) {
  return {
    name: d.department,
    recorded: d.recorded,
    contacts: d.contacts,
    activities: d.activities,
    target: d.target,
    process: d.process,
    result: d.result,
    combined: d.combined,
    support: d.record.support,
    channel_open: d.record.channelOpen,
    incident_spread: d.record.incidentSpread,
    missing: d.missing,
  };
}

export function departmentJson(view: DepartmentView) {
  return { weighting: view.weighting, period_start: view.from, period_end: view.to, departments: view.departments.map(departmentItemJson) };
}

/** The short section brief and tier show for accounts that record department scores. */
export function departmentSection(L: Locale, view: DepartmentView): Block[] {
  return [
    { type: 'heading', text: t(L, 'dept.section', { weighting: weightingText(L, view.weighting) }) },
    { type: 'list', items: view.departments.map((d) => departmentLine(L, d)) },
  ];
}
