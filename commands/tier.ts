import { listAccounts, listAccountsOf } from '../src/db/account.repository.ts';
import { assess } from '../src/core/assessment.ts';
import type { Args } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { pageOf, PAGING_FLAGS } from '../src/core/paging.ts';
import { gapJson, gapText, percent, ref } from '../src/core/format.ts';
import { accountHeader } from '../src/core/account-header.ts';
import type { Reply } from '../src/core/reply.ts';
import { resolveAccount } from '../src/core/resolve.ts';
import { TIERS } from '../src/domain/model.ts';
import { tierSuggestion } from '../src/domain/tier.ts';
import type { Account } from '../src/domain/types.ts';
import { joinList, label, t, withNote } from '../src/i18n/index.ts';
import { loadDepartmentView } from '../src/core/departments.ts';
import { departmentJson, departmentSection } from './dept.ts';

/** `tier [account]`: an account's tier status (§1, §4, §9), or my accounts by tier, a page at a time. */
export const tier = defineCommand({
  name: 'tier',
  slash: true,
  usage: 'tier [account] [--limit N] [--page N]',
  grammar: { subject: { name: 'account' }, flags: PAGING_FLAGS },
  summary: 'cmd.tier.summary',
  examples: ['tier Acme', 'tier'],
  run: async (ctx, args) => (args.positional.length > 0 ? tierStatus(ctx, await resolveAccount(ctx, args.positional.join(' '))) : myAccounts(ctx, args)),
});

async function tierStatus(ctx: Context, account: Account): Promise<Reply> {
  const { assessment: a } = await assess(ctx, account);
  const L = ctx.locale;
  const contacts = new Map(a.contacts.map((c) => [c.contact.id, c.contact]));
  const suggestion = tierSuggestion(account.tier, a.suggestedTier);
  const missing = a.org.required.filter((item) => !a.org.inPlace.includes(item));
  const reply = accountHeader(L, account, [
    { label: t(L, 'field.tier'), value: withNote(L, label(L, 'tier', account.tier), t(L, 'tier.since', { date: account.tierSetOn })) },
    { label: t(L, 'field.value_score'), value: a.valueScore === null ? '—' : String(a.valueScore) },
    ...(suggestion ? [{ label: t(L, 'field.suggested_tier'), value: label(L, 'tier', suggestion) }] : []),
    { label: t(L, 'field.layers_required'), value: joinList(L, a.layersRequired.map((l) => label(L, 'layer', l))) },
    { label: t(L, 'field.tier_review'), value: a.tierReview.due ? t(L, 'tier.review_due', { date: a.tierReview.dueOn }) : t(L, 'tier.review_on', { date: a.tierReview.dueOn }) },
    ...(a.org.required.length > 0 ? [{ label: t(L, 'field.org_health'), value: withNote(L, percent(a.org.health), `${a.org.required.length - missing.length}/${a.org.required.length}`) }] : []),
  ]);
  if (missing.length > 0) {
    reply.blocks.push({ type: 'heading', text: t(L, 'tier.org_missing') }, { type: 'list', items: missing.map((item) => label(L, 'org', item)) });
  }
  if (a.gaps.length > 0) {
    reply.blocks.push({ type: 'heading', text: t(L, 'brief.gaps') }, { type: 'list', items: a.gaps.map((g) => gapText(L, g, contacts)) });
  } else {
    reply.blocks.push({ type: 'text', text: t(L, 'tier.no_gaps'), tone: 'success' });
  }
  // §11 only for accounts that record department scores.
  const departments = await loadDepartmentView(ctx.db, account, ctx.today, { recordedOnly: true });
  if (departments) reply.blocks.push(...departmentSection(L, departments));
  reply.blocks.push({ type: 'actions', actions: [{ label: t(L, 'action.brief'), command: `brief #${account.id}` }, { label: t(L, 'action.log_visit'), command: `visit #${account.id}`, style: 'primary' }] });
  reply.share = `tier #${account.id}`;
  reply.data = {
    account: ref(account),
    tier: account.tier,
    tierSince: account.tierSetOn,
    suggestedTier: suggestion,
    valueScore: a.valueScore,
    layersRequired: a.layersRequired,
    organizational: { required: a.org.required, inPlace: a.org.inPlace, health: a.org.health === null ? null : Math.round(a.org.health * 100) / 100 },
    gaps: a.gaps.map((g) => gapJson(g, contacts)),
    tierReviewDue: a.tierReview.due,
    ...(departments && { departments: departmentJson(departments) }),
  };
  return reply;
}

/** `tier` alone: the accounts I hold a role on (all accounts when I hold none), by tier, with what is overdue. */
async function myAccounts(ctx: Context, args: Args): Promise<Reply> {
  const L = ctx.locale;
  const mine = await listAccountsOf(ctx.db, ctx.actor.id);
  const accounts = mine.length > 0 ? mine : await listAccounts(ctx.db);
  const rows = [];
  for (const account of accounts) {
    const { assessment } = await assess(ctx, account);
    rows.push({ account, overdue: assessment.gaps.filter((g) => g.code === 'cadence_overdue').length, gaps: assessment.gaps.length });
  }
  rows.sort((a, b) => TIERS.indexOf(a.account.tier) - TIERS.indexOf(b.account.tier) || a.account.name.localeCompare(b.account.name));
  // A long list in pages (--limit, --page); --json keeps every account.
  const shown = pageOf(L, args, rows);
  const reply: Reply = {
    title: t(L, mine.length > 0 ? 'tier.mine' : 'tier.all'),
    visibility: 'private',
    blocks:
      rows.length === 0
        ? [{ type: 'text', text: t(L, 'tier.none') }]
        : [
            {
              type: 'table',
              columns: [t(L, 'field.account'), t(L, 'field.tier'), t(L, 'field.overdue'), t(L, 'field.gaps')],
              rows: shown.items.map((r) => [r.account.name, label(L, 'tier', r.account.tier), String(r.overdue), String(r.gaps)]),
            },
            ...shown.footer,
          ],
    data: { accounts: rows.map((r) => ({ account: ref(r.account), tier: r.account.tier, overdue: r.overdue, gaps: r.gaps })) },
  };
  return reply;
}
