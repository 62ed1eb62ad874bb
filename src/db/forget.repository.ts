import type { Kysely } from 'kysely';
import { containsAsPart, eraseMentions, mentionPattern, mentions } from '../domain/mentions.ts';
import type { DbOrTrx } from './create-db.ts';
import type { Database } from './schema.ts';

/**
 * What `forget` does with each column of every table (issue 14), checked against
 * schema.ts by the compiler: a new column does not compile until it is placed here.
 *
 * - `free text`: anyone may write a name into it. Every mention of the forgotten name
 *   (any case, spacing, width, JSON escape: domain/mentions.ts) becomes the tombstone,
 *   in every row. On the forgotten contact's own rows (its contact row, its ratings and
 *   plans and their reviews, the audit lines about them) it is erased outright, name or not.
 * - `name`: the name of another record (an account, another contact, one of our people, a
 *   holiday). Never rewritten, as that would corrupt the record; a longer name containing
 *   the forgotten one ("Tom O'Brien Jr") keeps its own mentions, and the answer counts such records.
 * - `cached reply`: the replies kept so a retried submission writes once. Any of them can
 *   hold the person (a contact's card: title, department, birthday, notes), so all are blanked.
 * - `personal`: describes the forgotten contact (birthday, style, need level…): erased on its row.
 * - `kept`: ids, codes, numbers, dates, hashes, our own people's chat identities and paths.
 * - `undo state`: the rows a recent write would restore if undone (issue 15). Any of them can
 *   hold the person, and an undo after the forget would bring them back: all undos are dropped.
 */
type Handling = 'free text' | 'name' | 'cached reply' | 'personal' | 'kept' | 'undo state';

export const HANDLING = {
  people: { id: 'kept', name: 'name', email: 'kept', slack_id: 'kept', teams_id: 'kept', local_user: 'kept', locale: 'kept', created_at: 'kept' },
  accounts: {
    id: 'kept', name: 'name', name_key: 'kept', tier: 'kept', industry: 'kept', region: 'kept', contribution: 'kept', credit: 'kept', potential: 'kept',
    account_manager_id: 'kept', solution_manager_id: 'kept', delivery_manager_id: 'kept', sponsor_id: 'kept', tier_set_on: 'kept', tier_reviewed_on: 'kept', created_on: 'kept', updated_at: 'kept',
  },
  tier_changes: { id: 'kept', account_id: 'kept', kind: 'kept', from_tier: 'kept', to_tier: 'kept', reason: 'free text', changed_by: 'kept', changed_on: 'kept', changed_at: 'kept' },
  // The forgotten contact keeps its place on the decision chain (position, role, owners) so the
  // account's tier, gaps and attitude counts stay honest; its name becomes the tombstone and its
  // name key `forgotten<id>`.
  contacts: {
    id: 'kept', account_id: 'kept', name: 'name', name_key: 'personal', title: 'free text', department: 'free text', position: 'kept', role: 'kept',
    owner_a_id: 'kept', owner_b_id: 'kept', owner_c_id: 'kept', style: 'personal', need_level: 'personal', birthday: 'personal', birth_year: 'personal',
    rising_star: 'personal', notes: 'free text', created_on: 'kept', updated_at: 'kept',
  },
  // content_key is a hash of what the activity said when it was recorded: it cannot be read back,
  // and keeping it means re-importing an old file does not bring the erased text back.
  activities: {
    id: 'kept', account_id: 'kept', date: 'kept', type: 'kept', stage: 'kept', purpose: 'free text', summary: 'free text', needs: 'free text', objections: 'free text',
    created_by: 'kept', created_at: 'kept', content_key: 'kept',
  },
  activity_contacts: { activity_id: 'kept', contact_id: 'kept' },
  activity_attendees: { activity_id: 'kept', person_id: 'kept' },
  next_steps: { id: 'kept', activity_id: 'kept', account_id: 'kept', text: 'free text', owner_id: 'kept', due_on: 'kept', done_on: 'kept', done_by: 'kept' },
  ratings: {
    id: 'kept', contact_id: 'kept', rated_by: 'kept', date: 'kept', acceptance: 'kept', participation: 'kept', project_support: 'kept', information: 'kept',
    guidance: 'kept', competition: 'kept', note: 'free text', created_at: 'kept', content_key: 'kept',
  },
  plans: {
    id: 'kept', contact_id: 'kept', goal_level: 'kept', goal_date: 'kept', owner_id: 'kept', sponsor_id: 'kept', commitment: 'free text', cycle_days: 'kept',
    start_date: 'kept', closed_on: 'kept', created_by: 'kept', created_at: 'kept',
  },
  plan_reviews: {
    id: 'kept', plan_id: 'kept', date: 'kept', score: 'kept', level: 'kept', progress: 'free text', gap: 'free text', next_actions: 'free text', reviewed_by: 'kept', created_at: 'kept',
  },
  holidays: { id: 'kept', code: 'kept', name: 'name', name_key: 'kept', date: 'kept', created_at: 'kept' },
  audit_log: { id: 'kept', at: 'kept', actor_id: 'kept', action: 'kept', entity: 'kept', entity_id: 'kept', detail: 'free text' },
  submissions: { key: 'kept', command: 'kept', reply: 'cached reply', created_at: 'kept' },
  // A chat's platform reference names only our own users: contacts never talk to the bot.
  conversations: { platform: 'kept', conversation_id: 'kept', kind: 'kept', person_id: 'kept', reference: 'kept', updated_at: 'kept' },
  // Digests are rendered when sent and never stored; an error text might quote anything.
  digest_subscriptions: {
    id: 'kept', platform: 'kept', channel_id: 'kept', frequency: 'kept', weekday: 'kept', time: 'kept', timezone: 'kept', scope: 'kept', scope_value: 'kept',
    locale: 'kept', created_by: 'kept', created_at: 'kept', last_sent_at: 'kept', last_error: 'free text', last_error_at: 'kept',
  },
  deliveries: {
    key: 'kept', status: 'kept', attempts: 'kept', claimed_by: 'kept', lease_until: 'kept', next_attempt_at: 'kept', error: 'free text', created_at: 'kept', sent_at: 'kept', parts_sent: 'kept',
  },
  reminder_settings: { person_id: 'kept', enabled: 'kept', updated_at: 'kept' },
  backups: { id: 'kept', file: 'kept', engine: 'kept', made_at: 'kept', made_by: 'kept' },
  // A customer department's name and scores say nothing about one person.
  department_scores: {
    id: 'kept', account_id: 'kept', department: 'kept', department_key: 'kept', target: 'kept', support: 'kept', channel_open: 'kept', incident_spread: 'kept',
    updated_by: 'kept', updated_at: 'kept',
  },
  department_weightings: { account_id: 'kept', weighting: 'kept', updated_by: 'kept', updated_at: 'kept' },
  undo_actions: {
    token: 'kept', actor_id: 'kept', action: 'kept', entity: 'kept', entity_id: 'kept', before_state: 'undo state', after_state: 'undo state',
    created_at: 'kept', expires_at: 'kept', undone_at: 'kept',
  },
  planned_visits: {
    id: 'kept', account_id: 'kept', owner_id: 'kept', date: 'kept', time: 'kept', purpose: 'free text', status: 'kept', activity_id: 'kept',
    created_by: 'kept', created_at: 'kept', updated_at: 'kept',
  },
  planned_visit_contacts: { plan_id: 'kept', contact_id: 'kept', position: 'kept' },
} as const satisfies { [T in keyof Database]: { [C in keyof Database[T]]-?: Handling } };

type Table = keyof typeof HANDLING;

/** The columns of a table handled as `kind`. */
export function columnsHandledAs(table: Table, kind: Handling): string[] {
  return Object.entries(HANDLING[table]).filter(([, h]) => h === kind).map(([c]) => c);
}

/** The column rows are paged by, for the tables without an `id`. */
const KEY: Partial<Record<Table, string>> = { deliveries: 'key', submissions: 'key' };
const PAGE = 2000;

/** Another record whose name holds the forgotten one: left as it is, and counted in the answer. */
export interface NamedElsewhere {
  table: 'people' | 'accounts' | 'contacts' | 'holidays';
  id: number;
  /** A longer name ("Tom O'Brien Jr"): its mentions are kept. Otherwise the same name, in some spelling. */
  longer: boolean;
}

export interface ErasureCounts {
  /** Texts in which a mention was replaced. */
  cells: number;
  /** Texts of the contact's own rows erased outright. */
  ownTexts: number;
  /** Cached submission replies blanked. */
  cachedReplies: number;
  namedElsewhere: NamedElsewhere[];
}

/**
 * Erases a contact's personal data (issue 14: forget means forgotten), to be run inside
 * one transaction: its own fields; the free text of its ratings, plans and plan reviews
 * and the details of audit lines about them; every mention of its name in every free-text
 * column of every table (HANDLING); every cached reply. The contact row stays as a
 * tombstone with its place on the decision chain, so counts and attitudes stay honest.
 */
export async function eraseContact(db: DbOrTrx, contact: { id: number; name: string }, tombstone: string, now: Date): Promise<ErasureCounts> {
  const any = db as unknown as Kysely<any>;
  const pattern = mentionPattern(contact.name);
  const namedElsewhere = await findNamedElsewhere(any, contact.id, pattern);
  const keep = await longerNames(any, namedElsewhere);

  await db
    .updateTable('contacts')
    .set({
      name: tombstone, name_key: `forgotten${contact.id}`, title: null, department: null, notes: null, birthday: null, birth_year: null,
      style: null, need_level: null, rising_star: 0, updated_at: now.toISOString(),
    })
    .where('id', '=', contact.id)
    .execute();
  let ownTexts = 0;
  const count = (r: { numUpdatedRows: bigint }) => (ownTexts += Number(r.numUpdatedRows));
  const ratingIds = db.selectFrom('ratings').select('id').where('contact_id', '=', contact.id);
  const planIds = db.selectFrom('plans').select('id').where('contact_id', '=', contact.id);
  count(await db.updateTable('ratings').set({ note: null }).where('contact_id', '=', contact.id).where('note', 'is not', null).executeTakeFirst());
  count(await db.updateTable('plans').set({ commitment: null }).where('contact_id', '=', contact.id).where('commitment', 'is not', null).executeTakeFirst());
  count(await db.updateTable('plan_reviews').set({ progress: null, gap: null, next_actions: null }).where('plan_id', 'in', planIds).executeTakeFirst());
  // What was said about the contact, its ratings and plans: the lines stay (who did what, when), their details go.
  count(
    await db
      .updateTable('audit_log')
      .set({ detail: null })
      .where('detail', 'is not', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('entity', '=', 'contact'), eb('entity_id', '=', contact.id)]),
          eb.and([eb('entity', '=', 'rating'), eb('entity_id', 'in', ratingIds)]),
          eb.and([eb('entity', '=', 'plan'), eb('entity_id', 'in', planIds)]),
        ]),
      )
      .executeTakeFirst(),
  );

  let cells = 0;
  for (const table of Object.keys(HANDLING) as Table[]) {
    const columns = columnsHandledAs(table, 'free text');
    if (columns.length > 0) cells += await rewriteColumns(any, table, columns, (text) => eraseMentions(text, pattern, tombstone, keep));
  }
  const blanked = await db.updateTable('submissions').set({ reply: null }).where('reply', 'is not', null).executeTakeFirst();
  // "Undo" cannot bring the person back: every pending undo goes (its token then answers "can no longer be undone").
  await db.deleteFrom('undo_actions').execute();
  return { cells, ownTexts, cachedReplies: Number(blanked.numUpdatedRows), namedElsewhere };
}

/**
 * Reads every non-empty value of `columns`, a page at a time, and writes back those that
 * `rewrite` changes. Done in JavaScript rather than SQL: neither engine's `replace` ignores
 * case, and only a pattern can find the name spelt, spaced and escaped every way.
 */
async function rewriteColumns(db: Kysely<any>, table: Table, columns: string[], rewrite: (text: string) => string): Promise<number> {
  const key = KEY[table] ?? 'id';
  let changed = 0;
  let after: unknown;
  for (;;) {
    let query = db
      .selectFrom(table)
      .select([key, ...columns])
      .where((eb) => eb.or(columns.map((c) => eb(c, 'is not', null))))
      .orderBy(key)
      .limit(PAGE);
    if (after !== undefined) query = query.where(key, '>', after);
    const rows = (await query.execute()) as Array<Record<string, unknown>>;
    for (const row of rows) {
      const set: Record<string, string> = {};
      for (const column of columns) {
        const value = row[column];
        if (typeof value !== 'string') continue;
        const rewritten = rewrite(value);
        if (rewritten !== value) set[column] = rewritten;
      }
      if (Object.keys(set).length === 0) continue;
      await db.updateTable(table).set(set).where(key, '=', row[key]).execute();
      changed += Object.keys(set).length;
    }
    if (rows.length < PAGE) return changed;
    after = rows.at(-1)![key];
  }
}

const NAMED: ReadonlyArray<NamedElsewhere['table']> = ['people', 'accounts', 'contacts', 'holidays'];

/** Other records (HANDLING `name` columns) whose names mention the forgotten one. */
async function findNamedElsewhere(db: Kysely<any>, contactId: number, pattern: RegExp): Promise<NamedElsewhere[]> {
  const found: NamedElsewhere[] = [];
  for (const table of NAMED) {
    let query = db.selectFrom(table).select(['id', 'name']).orderBy('id');
    if (table === 'contacts') query = query.where('id', '!=', contactId);
    for (const row of (await query.execute()) as Array<{ id: number; name: string }>) {
      if (mentions(row.name, pattern)) found.push({ table, id: row.id, longer: containsAsPart(row.name, pattern) });
    }
  }
  return found;
}

/** Patterns of the longer names, whose mentions are someone else's. */
async function longerNames(db: Kysely<any>, named: NamedElsewhere[]): Promise<RegExp[]> {
  const patterns: RegExp[] = [];
  for (const { table, id } of named.filter((n) => n.longer)) {
    const row = (await db.selectFrom(table).select('name').where('id', '=', id).executeTakeFirstOrThrow()) as { name: string };
    patterns.push(mentionPattern(row.name));
  }
  return patterns;
}
