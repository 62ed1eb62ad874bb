import { listAccountsWhere } from '../db/account.repository.ts';
import { listContactsOfAccounts } from '../db/contact.repository.ts';
import type { DbOrTrx } from '../db/create-db.ts';
import type { PlannedVisit } from '../domain/meetings.ts';
import type { Account, Contact } from '../domain/types.ts';
import { joinList, t, type Locale } from '../i18n/index.ts';
import type { Reply } from './reply.ts';

/** A planned visit with the names it shows: its account and the contacts to meet (issue 18 part 2). */
export interface PlanView {
  plan: PlannedVisit;
  account: Pick<Account, 'id' | 'name'>;
  contacts: Array<Pick<Contact, 'id' | 'name'>>;
}

/** The names of the accounts and contacts of some plans, read in two queries. */
export async function planViews(db: DbOrTrx, plans: readonly PlannedVisit[]): Promise<PlanView[]> {
  if (plans.length === 0) return [];
  const accountIds = [...new Set(plans.map((p) => p.accountId))];
  const accounts = new Map((await listAccountsWhere(db, { ids: accountIds })).map((a) => [a.id, a]));
  const contacts = new Map((await listContactsOfAccounts(db, accountIds)).map((c) => [c.id, c]));
  return plans.map((plan) => ({
    plan,
    account: accounts.get(plan.accountId) ?? { id: plan.accountId, name: `#${plan.accountId}` },
    contacts: plan.contactIds.map((id) => contacts.get(id)).filter((c): c is Contact => c !== undefined),
  }));
}

/** "2026-12-01 10:00 · Acme Telecom · Tom Baker, Priya Nair · Pricing review (#3)" */
export function planLine(L: Locale, v: PlanView, withDate = true): string {
  const when = [withDate ? v.plan.date : '', v.plan.time ?? ''].filter(Boolean).join(' ');
  const parts = [when, v.account.name, joinList(L, v.contacts.map((c) => c.name)), v.plan.purpose ?? ''].filter(Boolean);
  return `${parts.join(' · ')} (#${v.plan.id})`;
}

/** The plan as JSON (`visit plans --json`, home, digest `sections.meetings`). */
export function planJson(v: PlanView) {
  return {
    id: v.plan.id,
    date: v.plan.date,
    time: v.plan.time,
    status: v.plan.status,
    account: { id: v.account.id, name: v.account.name },
    contacts: v.contacts.map((c) => ({ id: c.id, name: c.name })),
    purpose: v.plan.purpose,
    owner: v.plan.ownerId,
  };
}

/**
 * "How did the meeting at Acme go?": sent to the plan's owner after the meeting, with a
 * button that opens the visit form prefilled from the plan (`visit log #id`).
 */
export function followUpReply(L: Locale, v: PlanView): Reply {
  return {
    title: t(L, 'meeting.followup.title', { account: v.account.name }),
    blocks: [
      { type: 'text', text: t(L, 'meeting.followup.text', { plan: planLine(L, v) }) },
      {
        type: 'actions',
        actions: [
          { label: t(L, 'action.log_visit'), command: `visit log #${v.plan.id}`, style: 'primary' },
          { label: t(L, 'meeting.action.move'), command: `visit move #${v.plan.id}` },
          { label: t(L, 'meeting.action.cancel'), command: `visit cancel #${v.plan.id}` },
        ],
      },
    ],
    visibility: 'private',
    data: { followUp: planJson(v) },
  };
}
