import { accountsToOffer, findAccountById, searchAccounts } from '../db/account.repository.ts';
import { findContactById, listContactsOfAccount, searchContacts } from '../db/contact.repository.ts';
import { findPersonById, findPersonByRef, listPeople } from '../db/person.repository.ts';
import { nameKey } from '../domain/names.ts';
import type { Context } from './command.ts';
import type { FormField, FormValues, Option } from './reply.ts';
import { resolveAccount } from './resolve.ts';

const MAX_OPTIONS = 100;

/**
 * Options for a lookup field as the user types (Slack external selects, Teams
 * choice sets, the console's numbered lists). Values are `#id`, so a submit names
 * records exactly and a prefilled `#id` (the submitter) matches its option.
 */
export async function lookupOptions(ctx: Context, field: Extract<FormField, { kind: 'lookup' }>, typed: string, values: FormValues): Promise<Option[]> {
  const key = nameKey(typed);
  if (field.source === 'account') {
    const accounts = typed.trim() ? await searchAccounts(ctx.db, typed, MAX_OPTIONS) : await accountsToOffer(ctx.db, ctx.actor.id, MAX_OPTIONS);
    return accounts.map((a) => ({ value: `#${a.id}`, label: a.name }));
  }
  if (field.source === 'contact' && !field.dependsOn) {
    // No account to look in (a command's picker): contacts of every account by typed name;
    // before anything is typed (Teams cards, the console's list), those of the accounts offered first.
    const accounts = new Map<number, string>();
    let contacts;
    if (typed.trim()) contacts = await searchContacts(ctx.db, typed, undefined, MAX_OPTIONS);
    else {
      contacts = [];
      for (const account of await accountsToOffer(ctx.db, ctx.actor.id, MAX_OPTIONS)) {
        accounts.set(account.id, account.name);
        if (contacts.length < MAX_OPTIONS) contacts.push(...(await listContactsOfAccount(ctx.db, account.id)).slice(0, MAX_OPTIONS - contacts.length));
      }
    }
    for (const c of contacts) if (!accounts.has(c.accountId)) accounts.set(c.accountId, (await findAccountById(ctx.db, c.accountId))?.name ?? '');
    return contacts.map((c) => ({ value: `#${c.id}`, label: `${c.name} · ${accounts.get(c.accountId)}` }));
  }
  if (field.source === 'contact') {
    const accountRef = field.dependsOn ? values[field.dependsOn] : undefined;
    if (typeof accountRef !== 'string' || !accountRef.trim()) return [];
    const account = await resolveAccount(ctx, accountRef).catch(() => undefined);
    if (!account) return [];
    const contacts = await listContactsOfAccount(ctx.db, account.id);
    return contacts
      .filter((c) => !typed.trim() || nameKey(c.name).includes(key))
      .slice(0, MAX_OPTIONS)
      .map((c) => ({ value: `#${c.id}`, label: c.title ? `${c.name} · ${c.title}` : c.name }));
  }
  const people = await listPeople(ctx.db, typed.trim(), MAX_OPTIONS);
  return people.map((p) => ({ value: `#${p.id}`, label: p.email ? `${p.name} <${p.email}>` : p.name }));
}

/** The label of a lookup value (`#12` → "Acme Telecom"), for showing a prefilled choice. */
export async function describeOption(ctx: Context, source: 'account' | 'contact' | 'person', value: string): Promise<Option | undefined> {
  const id = /^#(\d+)$/.exec(value)?.[1];
  if (source === 'account') {
    const account = id ? await findAccountById(ctx.db, Number(id)) : undefined;
    return account && { value, label: account.name };
  }
  if (source === 'contact') {
    const contact = id ? await findContactById(ctx.db, Number(id)) : undefined;
    return contact && { value, label: contact.name };
  }
  const person = id ? await findPersonById(ctx.db, Number(id)) : await findPersonByRef(ctx.db, value);
  return person && { value, label: person.name };
}
