import type { Account, Person } from '../domain/types.ts';
import { t, type Locale } from '../i18n/index.ts';
import { accountTitle, personName } from './format.ts';
import type { Block, Reply } from './reply.ts';

/**
 * The head of a reply about one account (`brief`, `tier`): titled with its name and
 * tier, private, opening on the account's facts that reply leads with. The blocks after
 * it are the reply's own.
 */
export function accountHeader(locale: Locale, account: Pick<Account, 'name' | 'tier'>, facts: Array<{ label: string; value: string }>): Reply & { blocks: Block[] } {
  return { title: accountTitle(locale, account), visibility: 'private', blocks: [{ type: 'fields', fields: facts }] };
}

/** §1 the account's iron triangle and sponsor, by name ("—" when unset). */
export function accountPeopleFacts(locale: Locale, account: Pick<Account, 'accountManagerId' | 'solutionManagerId' | 'deliveryManagerId' | 'sponsorId'>, people: ReadonlyMap<number, Person>): Array<{ label: string; value: string }> {
  return ([
    ['field.account_manager', account.accountManagerId],
    ['field.solution_manager', account.solutionManagerId],
    ['field.delivery_manager', account.deliveryManagerId],
    ['field.sponsor', account.sponsorId],
  ] as const).map(([key, id]) => ({ label: t(locale, key), value: personName(people, id) ?? '—' }));
}
