import { listAccountsOf } from '../src/db/account.repository.ts';
import { listOpenNextSteps } from '../src/db/activity.repository.ts';
import { findAccountById } from '../src/db/account.repository.ts';
import { assess } from '../src/core/assessment.ts';
import { defineCommand } from '../src/core/command.ts';
import { label, labelled, t, withNote } from '../src/i18n/index.ts';
import { ref, relativeDays } from '../src/core/format.ts';
import type { Reply } from '../src/core/reply.ts';
import { TIERS } from '../src/domain/model.ts';
import { listPlannedVisits } from '../src/db/planned-visit.repository.ts';
import { planJson, planLine, planViews } from '../src/core/meetings.ts';

const SHOWN = 15;

/**
 * `home`: my day at a glance (Slack's App Home, and the same in every channel): my
 * accounts by tier, my key contacts going cold (§7), next steps assigned to me, and
 * routine care for my contacts in the next 7 days (§8).
 */
export const home = defineCommand({
  name: 'home',
  usage: 'home',
  grammar: {},
  summary: 'cmd.home.summary',
  examples: ['home'],
  run: async (ctx) => {
    const L = ctx.locale;
    const me = ctx.actor.id;
    const accounts = (await listAccountsOf(ctx.db, me)).sort((a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier) || a.name.localeCompare(b.name));
    const cold: Array<{ account: string; contact: string; days: number; accountId: number }> = [];
    const care: Array<{ date: string; daysAway: number; text: string }> = [];
    for (const account of accounts) {
      const { assessment } = await assess(ctx, account);
      const byId = new Map(assessment.contacts.map((c) => [c.contact.id, c.contact]));
      const mine = (id: number) => [byId.get(id)?.ownerAId, byId.get(id)?.ownerBId, byId.get(id)?.ownerCId].includes(me);
      for (const check of assessment.cadence) {
        if (check.overdue && check.contactId !== undefined && mine(check.contactId)) cold.push({ account: account.name, accountId: account.id, contact: byId.get(check.contactId)!.name, days: check.days });
      }
      for (const item of assessment.care) {
        if (item.kind === 'birthday' && mine(item.contactId)) care.push({ date: item.date, daysAway: item.daysAway, text: t(L, 'home.birthday', { name: byId.get(item.contactId)!.name, account: account.name }) });
        if (item.kind === 'holiday') {
          const count = item.contactIds.filter(mine).length;
          if (count > 0) care.push({ date: item.date, daysAway: item.daysAway, text: t(L, 'home.holiday', { name: item.holiday.code ? label(L, 'holiday', item.holiday.code) : item.holiday.name, account: account.name, count }) });
        }
      }
    }
    cold.sort((a, b) => b.days - a.days);
    care.sort((a, b) => a.date.localeCompare(b.date));
    const steps = await listOpenNextSteps(ctx.db, { ownerId: me });
    const stepAccounts = new Map<number, string>();
    for (const s of steps) if (!stepAccounts.has(s.accountId)) stepAccounts.set(s.accountId, (await findAccountById(ctx.db, s.accountId))?.name ?? '');

    // Issue 18 part 2: my planned visits from today on (shown only when there are some).
    const meetings = await planViews(ctx.db, await listPlannedVisits(ctx.db, { status: 'planned', ownerId: me, from: ctx.today, limit: 5 }));

    const reply: Reply = { title: t(L, 'home.title'), blocks: [], visibility: 'private' };
    if (meetings.length > 0) {
      reply.blocks.push(
        { type: 'heading', text: t(L, 'home.meetings') },
        { type: 'list', items: meetings.map((m) => planLine(L, m)) },
        { type: 'actions', actions: [{ label: t(L, 'visit.plans.title'), command: 'visit plans' }] },
      );
    }
    reply.blocks.push({ type: 'heading', text: t(L, 'home.accounts') });
    reply.blocks.push(
      accounts.length === 0
        ? { type: 'text', text: t(L, 'home.no_accounts'), tone: 'muted' }
        : { type: 'list', items: accounts.map((a) => `${a.name} · ${label(L, 'tier', a.tier)}`) },
    );
    reply.blocks.push({ type: 'heading', text: t(L, 'home.cold') });
    reply.blocks.push(
      cold.length === 0
        ? { type: 'text', text: t(L, 'brief.none'), tone: 'muted' }
        : { type: 'list', items: cold.slice(0, SHOWN).map((c) => t(L, 'home.cold_line', { contact: c.contact, account: c.account, days: c.days })) },
    );
    reply.blocks.push({ type: 'heading', text: t(L, 'home.steps') });
    if (steps.length === 0) reply.blocks.push({ type: 'text', text: t(L, 'brief.none'), tone: 'muted' });
    else {
      reply.blocks.push({
        type: 'list',
        items: steps.slice(0, SHOWN).map((s) => [s.text, stepAccounts.get(s.accountId), s.dueOn ? (s.dueOn < ctx.today ? t(L, 'brief.overdue_since', { date: s.dueOn }) : t(L, 'brief.due', { date: s.dueOn })) : ''].filter(Boolean).join(' — ')),
      });
      reply.blocks.push({ type: 'actions', actions: steps.slice(0, 5).map((s) => ({ label: t(L, 'action.mark_done', { text: s.text.length > 30 ? `${s.text.slice(0, 29)}…` : s.text }), command: `done #${s.id}` })) });
    }
    reply.blocks.push({ type: 'heading', text: t(L, 'home.care') });
    reply.blocks.push(
      care.length === 0 ? { type: 'text', text: t(L, 'brief.none'), tone: 'muted' } : { type: 'list', items: care.map((c) => labelled(L, withNote(L, c.date, relativeDays(L, c.daysAway)), c.text)) },
    );
    reply.data = {
      accounts: accounts.map((a) => ({ ...ref(a), tier: a.tier })),
      goingCold: cold,
      nextSteps: steps.map((s) => ({ id: s.id, text: s.text, account: stepAccounts.get(s.accountId), due: s.dueOn, overdue: s.dueOn !== null && s.dueOn < ctx.today })),
      care,
      meetings: meetings.map(planJson),
    };
    return reply;
  },
});
