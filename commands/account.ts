import * as z from 'zod';
import { changeTier, insertAccount, searchAccounts, updateAccount } from '../src/db/account.repository.ts';
import type { DbOrTrx } from '../src/db/create-db.ts';
import { findPeopleByIds } from '../src/db/person.repository.ts';
import { arg, type Args, type FlagSpec } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError } from '../src/core/errors.ts';
import { accountPeopleFacts } from '../src/core/account-header.ts';
import { accountTitle, personName, ref } from '../src/core/format.ts';
import { options, personIds } from '../src/core/forms.ts';
import { formOrSubmit, personFields, personValues, recordForm, refuseEmptyEdit, submitRecord } from '../src/core/record-form.ts';
import type { Form, FormValues, Reply } from '../src/core/reply.ts';
import { changedFields, type AccountRole } from '../src/core/permissions.ts';
import { matchId, resolveAccount } from '../src/core/resolve.ts';
import { guardAccountRoles, peekPersonIds } from '../src/core/role-guard.ts';
import { freeText, nameText } from '../src/core/validate.ts';
import { TIERS } from '../src/domain/model.ts';
import { nameKey } from '../src/domain/names.ts';
import { suggestedTier, valueScore } from '../src/domain/tier.ts';
import type { Account } from '../src/domain/types.ts';
import { label, labelKey, t, withNote } from '../src/i18n/index.ts';

const PEOPLE = ['account_manager', 'solution_manager', 'delivery_manager', 'sponsor'] as const;
const FIELDS = ['name', 'tier', 'industry', 'region', 'contribution', 'credit', 'potential', ...PEOPLE];
const score = z.coerce.number().int().min(1).max(5).optional();
const schema = z.object({
  name: nameText(200),
  tier: z.enum(TIERS),
  industry: freeText(200, { multiline: false }).optional(),
  region: freeText(200, { multiline: false }).optional(),
  contribution: score,
  credit: score,
  potential: score,
  ...Object.fromEntries(PEOPLE.map((p) => [p, z.string().optional()])),
}) as unknown as z.ZodType<{ name: string; tier: (typeof TIERS)[number]; industry?: string; region?: string; contribution?: number; credit?: number; potential?: number } & Partial<Record<(typeof PEOPLE)[number], string>>>;

/** The record's fields as flags (`--account-manager`, also written `--account_manager`). */
const FIELD_FLAGS: Record<string, FlagSpec> = {
  name: arg.text(), tier: arg.choice(TIERS, 'tier'), industry: arg.text(), region: arg.text(),
  contribution: arg.number('1-5'), credit: arg.number('1-5'), potential: arg.number('1-5'),
  ...Object.fromEntries(PEOPLE.map((p) => [p.replace(/_/g, '-'), arg.text('EMAIL')])),
};

/** `account add|edit|show`: customer organisations with their iron triangle and sponsor (§1). */
export const account = defineCommand({
  name: 'account',
  usage: 'account add <name> [--tier T] [--industry …] [--account-manager EMAIL] … | account edit <name> [--field value …] | account show <name>',
  grammar: {
    subs: {
      add: { subject: { name: 'name' }, flags: FIELD_FLAGS },
      edit: { subject: { name: 'account', required: true }, flags: FIELD_FLAGS },
      show: { subject: { name: 'account', required: true } },
    },
  },
  summary: 'cmd.account.summary',
  examples: ['account add "Globex Energy" --tier priority --account-manager alice@example.com', 'account edit Acme --potential 5', 'account show Acme'],
  run: async (ctx, args) => {
    const [sub, ...rest] = args.positional;
    const name = rest.join(' ');
    if (sub === 'show') return show(ctx, await resolveAccount(ctx, name));
    if (sub === 'add') {
      await refuseDuplicate(ctx, name);
      return openOrSubmit(ctx, args, { name, tier: 'general' }, undefined);
    }
    if (sub === 'edit') {
      const existing = await resolveAccount(ctx, name);
      refuseEmptyEdit(ctx, args, FIELDS, 'account');
      return openOrSubmit(ctx, args, await currentValues(ctx, existing), existing);
    }
    throw new AppError('command.usage', { usage: account.usage });
  },
  forms: {
    'account.add': { submit: (ctx, values) => submit(ctx, values, undefined) },
    'account.edit': { submit: async (ctx, values, context) => submit(ctx, values, await resolveAccount(ctx, `#${context.account}`)) },
  },
});

function openOrSubmit(ctx: Context, args: Args, base: FormValues, existing: Account | undefined): Promise<Reply> | Reply {
  return formOrSubmit(args, FIELDS, base, (values) => accountForm(ctx, values, existing), (values) => submit(ctx, values, existing));
}

async function currentValues(ctx: Context, a: Account): Promise<FormValues> {
  return {
    name: a.name, tier: a.tier, industry: a.industry ?? undefined, region: a.region ?? undefined,
    contribution: a.contribution?.toString(), credit: a.credit?.toString(), potential: a.potential?.toString(),
    ...(await personValues(ctx, { account_manager: a.accountManagerId, solution_manager: a.solutionManagerId, delivery_manager: a.deliveryManagerId, sponsor: a.sponsorId })),
  };
}

function accountForm(ctx: Context, values: FormValues, existing: Account | undefined): Form {
  const L = ctx.locale;
  const scoreField = (id: 'contribution' | 'credit' | 'potential') => ({ id, kind: 'number' as const, label: t(L, labelKey('field', id)), hint: t(L, labelKey('hint', id)), required: false, min: 1, max: 5 });
  return recordForm(L, 'account', existing, [
    { id: 'name', kind: 'text', label: t(L, 'field.name'), required: true, maxLength: 200 },
    ...(existing ? [] : [{ id: 'tier', kind: 'choice' as const, label: t(L, 'field.tier'), required: true, options: options(L, 'tier', TIERS) }]),
    { id: 'industry', kind: 'text', label: t(L, 'field.industry'), required: false },
    { id: 'region', kind: 'text', label: t(L, 'field.region'), required: false },
    scoreField('contribution'),
    scoreField('credit'),
    scoreField('potential'),
    ...personFields(L, PEOPLE),
  ], values);
}

function submit(ctx: Context, values: FormValues, existing: Account | undefined): Promise<Reply> {
  return submitRecord(ctx, values, {
    kind: 'account',
    existing,
    form: (v) => accountForm(ctx, v, existing),
    fieldIds: FIELDS,
    // The edit form has no tier; `account edit --tier` changes it, as tier-set does, under the same rule.
    normalise: (raw) => {
      raw.tier = raw.tier ? (matchId('tier', TIERS, raw.tier) ?? raw.tier) : existing?.tier;
    },
    schema,
    resolve: async (input) => {
      // Before anyone is created or anything written: an edit that changes roles it may not is refused whole.
      if (existing) await guardAccountRoles(ctx, existing, changedFields(rolesOf(existing), { tier: input.tier, ...(await peekPersonIds(ctx, input, PEOPLE)) }));
      const people = await personIds(ctx, input, PEOPLE);
      await refuseDuplicate(ctx, input.name, existing);
      return {
        name: input.name,
        industry: input.industry ?? null,
        region: input.region ?? null,
        contribution: input.contribution ?? null,
        credit: input.credit ?? null,
        potential: input.potential ?? null,
        accountManagerId: people.account_manager ?? null,
        solutionManagerId: people.solution_manager ?? null,
        deliveryManagerId: people.delivery_manager ?? null,
        sponsorId: people.sponsor ?? null,
      };
    },
    write: async (w, fields, input) => {
      if (!existing) {
        const saved = await insertAccount(w.trx, { ...fields, tier: input.tier }, { by: ctx.actor.id, today: ctx.today, now: ctx.now });
        await w.audit('account.create', 'account', saved.id, { ...fields, tier: input.tier });
        return saved;
      }
      if (input.tier !== existing.tier) {
        await changeTier(w.trx, existing, input.tier, { reason: null, by: ctx.actor.id, today: ctx.today, now: ctx.now });
        await w.audit('tier.change', 'account', existing.id, { from: existing.tier, to: input.tier, reason: null });
      }
      const saved = await updateAccount(w.trx, existing.id, fields, ctx.now);
      await w.audit('account.update', 'account', saved.id, fields);
      return saved;
    },
    show: (saved, db) => show(ctx, saved, db),
  });
}

/** The guarded fields of an account as they stand (permissions.ts). */
function rolesOf(a: Account): Record<AccountRole, unknown> {
  return { tier: a.tier, account_manager: a.accountManagerId, solution_manager: a.solutionManagerId, delivery_manager: a.deliveryManagerId, sponsor: a.sponsorId };
}

async function show(ctx: Context, a: Account, db: DbOrTrx = ctx.db): Promise<Reply> {
  const L = ctx.locale;
  const people = await findPeopleByIds(db, [a.accountManagerId, a.solutionManagerId, a.deliveryManagerId, a.sponsorId].filter((id): id is number => id !== null));
  const score = valueScore(a, ctx.rules);
  return {
    title: accountTitle(L, a),
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: t(L, 'field.industry'), value: a.industry ?? '—' },
          { label: t(L, 'field.region'), value: a.region ?? '—' },
          { label: t(L, 'field.value_score'), value: score === null ? '—' : withNote(L, String(score), label(L, 'tier', suggestedTier(score, ctx.rules)!)) },
          ...accountPeopleFacts(L, a, people),
        ],
      },
      { type: 'actions', actions: [{ label: t(L, 'action.brief'), command: `brief #${a.id}` }, { label: t(L, 'action.tier'), command: `tier #${a.id}` }] },
    ],
    visibility: 'private',
    data: {
      account: { ...ref(a), tier: a.tier, industry: a.industry, region: a.region, contribution: a.contribution, credit: a.credit, potential: a.potential, valueScore: score,
        accountManager: personName(people, a.accountManagerId), solutionManager: personName(people, a.solutionManagerId), deliveryManager: personName(people, a.deliveryManagerId), sponsor: personName(people, a.sponsorId) },
    },
  };
}


/** Names are unique (forgivingly): say so before asking for anything else. */
async function refuseDuplicate(ctx: Context, name: string, existing?: Account): Promise<void> {
  if (!name) return;
  const clash = (await searchAccounts(ctx.db, name, 1)).find((a) => nameKey(a.name) === nameKey(name) && a.id !== existing?.id);
  if (clash) throw new AppError('account.exists', { name: clash.name });
}
