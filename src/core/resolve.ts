import { findAccountById, listAccountNames, searchAccounts } from '../db/account.repository.ts';
import { findContactById, listContactNames, searchContacts } from '../db/contact.repository.ts';
import { ensurePersonByRef, listPeople } from '../db/person.repository.ts';
import { LEVELS, levelFromValue, type Level } from '../domain/model.ts';
import { closestNames, nameKey } from '../domain/names.ts';
import type { Account, Contact, Person } from '../domain/types.ts';
import { allLabels } from '../i18n/index.ts';
import type { Context } from './command.ts';
import { NameError } from './errors.ts';

/** `#12` is how forms and buttons name a record exactly. */
function idRef(text: string): number | undefined {
  const m = /^#(\d+)$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * An account by a forgiving name (case, spacing, unique prefix, any script) or `#id`.
 * Unknown or ambiguous: a {@link NameError} with the closest names.
 */
export async function resolveAccount(ctx: Context, query: string): Promise<Account> {
  const id = idRef(query);
  if (id !== undefined) {
    const account = await findAccountById(ctx.db, id);
    if (account) return account;
    throw new NameError('name.not_found', 'account', query, []);
  }
  const found = await searchAccounts(ctx.db, query, 6);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new NameError('name.ambiguous', 'account', query, found.map((a) => ({ value: a.name, label: a.name })));
  const close = closestNames(query, await listAccountNames(ctx.db));
  throw new NameError('name.not_found', 'account', query, close.map((a) => ({ value: a.name, label: a.name })));
}

/** A contact by forgiving name or `#id`, within one account when given. */
export async function resolveContact(ctx: Context, query: string, accountId?: number): Promise<Contact> {
  const id = idRef(query);
  if (id !== undefined) {
    const contact = await findContactById(ctx.db, id);
    if (contact && (accountId === undefined || contact.accountId === accountId)) return contact;
    throw new NameError('name.not_found', 'contact', query, []);
  }
  const found = await searchContacts(ctx.db, query, accountId, 6);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    const exact = found.filter((c) => nameKey(c.name) === nameKey(query));
    if (exact.length === 1) return exact[0]!;
    throw new NameError('name.ambiguous', 'contact', query, found.map((c) => ({ value: `#${c.id}`, label: c.name })));
  }
  const close = closestNames(query, await listContactNames(ctx.db, accountId));
  throw new NameError('name.not_found', 'contact', query, close.map((c) => ({ value: `#${c.id}`, label: c.name })));
}

/** One of our people: email (created when new), platform id, `#id`, or a known name. */
export async function resolvePerson(ctx: Context, ref: string): Promise<Person> {
  const text = ref.trim();
  const id = idRef(text);
  const person = id !== undefined ? (await listPeople(ctx.db)).find((p) => p.id === id) : await ensurePersonByRef(ctx.db, text, ctx.now);
  if (person) return person;
  const close = closestNames(text, await listPeople(ctx.db, '', 1000));
  throw new NameError('name.not_found', 'person', text, close.map((p) => ({ value: p.email ?? p.name, label: p.name })));
}

/** Per vocabulary: the words that name each id, by name key, and the texts already matched. */
const vocabularies = new WeakMap<readonly string[], Map<string, { keys: Map<string, string>; seen: Map<string, string | undefined> }>>();
/** Texts remembered per vocabulary: a file's cells repeat a handful of values, a hostile one need not. */
const SEEN_TEXTS = 1000;

/** Matches typed text to an id of a vocabulary: the id, or its label in any language. */
export function matchId<T extends string>(group: string, ids: readonly T[], text: string): T | undefined {
  // Built once per vocabulary: CSV import matches every row's cells against these.
  let groups = vocabularies.get(ids);
  if (!groups) vocabularies.set(ids, (groups = new Map()));
  let vocabulary = groups.get(group);
  if (!vocabulary) {
    const keys = new Map<string, string>();
    for (const id of ids) for (const word of [id, ...allLabels(group, id)]) if (!keys.has(nameKey(word))) keys.set(nameKey(word), id);
    groups.set(group, (vocabulary = { keys, seen: new Map() }));
  }
  if (vocabulary.seen.has(text)) return vocabulary.seen.get(text) as T | undefined;
  const id = vocabulary.keys.get(nameKey(text));
  if (vocabulary.seen.size < SEEN_TEXTS) vocabulary.seen.set(text, id);
  return id as T | undefined;
}

/** §3 a level as typed: its id, its English or Chinese label, or −1…3. */
export function matchLevel(text: string): Level | undefined {
  const trimmed = text.trim().replace('−', '-');
  if (/^-?\d$/.test(trimmed)) {
    const value = Number(trimmed);
    return value >= -1 && value <= 3 ? levelFromValue(value) : undefined;
  }
  return matchId('level', LEVELS, trimmed);
}
