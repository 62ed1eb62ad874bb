import { createReadStream } from 'node:fs';
import SQLite from 'better-sqlite3';
import { parse } from 'csv-parse';
import type pg from 'pg';
import type { ImportKind } from '../src/csv/columns.ts';
import { activityContentKey, ratingContentKey } from '../src/db/content-key.ts';
import { assessAccount, type AccountSnapshot } from '../src/domain/assess.ts';
import { addDays } from '../src/domain/dates.ts';
import { DIMENSIONS, LEVEL_VALUE, type ActivityType, type Dimension, type Level, type Position, type Role, type Style, type Tier } from '../src/domain/model.ts';
import { nameKey } from '../src/domain/names.ts';
import type { Rules } from '../src/domain/rules.ts';
import type { Contact, Plan, Rating } from '../src/domain/types.ts';

/**
 * The baselines: the same work written directly on the engine's driver (prepared
 * better-sqlite3 statements; on PostgreSQL, named prepared statements over `pg`),
 * with no Kysely, no validation beyond what the data needs, and no reply model.
 * What the project adds on top is measured against these.
 */

async function* rows(path: string): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined;
  for await (const record of createReadStream(path).pipe(parse({ bom: true })) as AsyncIterable<string[]>) {
    if (!header) header = record;
    else yield Object.fromEntries(header.map((h, i) => [h, record[i]!]));
  }
}

/** Imports one CSV file with prepared statements in one transaction; returns the rows written. */
export async function rawImport(sqlite: SQLite.Database, kind: ImportKind, path: string): Promise<number> {
  const now = new Date().toISOString();
  const people = new Map<string, number>(sqlite.prepare('select id, email from people').all().map((r) => [(r as { email: string }).email, (r as { id: number }).id]));
  const insertPerson = sqlite.prepare('insert into people (name, email, created_at) values (?, ?, ?) returning id');
  const person = (email: string) => {
    if (!email) return null;
    let id = people.get(email);
    if (id === undefined) people.set(email, (id = (insertPerson.get(email.split('@')[0], email, now) as { id: number }).id));
    return id;
  };
  const accounts = new Map<string, number>(sqlite.prepare('select id, name_key from accounts').all().map((r) => [(r as { name_key: string }).name_key, (r as { id: number }).id]));
  const contacts = new Map<string, number>(sqlite.prepare('select id, account_id, name_key from contacts').all().map((r) => {
    const c = r as { id: number; account_id: number; name_key: string };
    return [`${c.account_id}:${c.name_key}`, c.id];
  }));
  let count = 0;
  sqlite.exec('begin');
  try {
    if (kind === 'accounts') {
      const insert = sqlite.prepare(`insert into accounts (name, name_key, tier, industry, region, contribution, credit, potential, account_manager_id, solution_manager_id, delivery_manager_id, sponsor_id, tier_set_on, created_on, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`);
      const history = sqlite.prepare(`insert into tier_changes (account_id, kind, from_tier, to_tier, reason, changed_by, changed_on, changed_at) values (?, 'set', null, ?, 'import', null, ?, ?)`);
      for await (const r of rows(path)) {
        const { id } = insert.get(r.name, nameKey(r.name!), r.tier, r.industry || null, r.region || null, Number(r.contribution) || null, Number(r.credit) || null, Number(r.potential) || null,
          person(r.account_manager!), person(r.solution_manager!), person(r.delivery_manager!), person(r.sponsor!), '2026-11-24', '2026-11-24', now) as { id: number };
        history.run(id, r.tier, '2026-11-24', now);
        count++;
      }
    } else if (kind === 'contacts') {
      const insert = sqlite.prepare(`insert into contacts (account_id, name, name_key, title, department, position, role, owner_a_id, owner_b_id, owner_c_id, style, need_level, birthday, birth_year, rising_star, notes, created_on, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?, ?, ?)`);
      for await (const r of rows(path)) {
        insert.run(accounts.get(nameKey(r.account!)), r.name, nameKey(r.name!), r.title || null, r.department || null, r.position || null, r.role || 'none', person(r.owner_a!), person(r.owner_b!), person(r.owner_c!),
          r.style || null, Number(r.need_level) || null, r.birthday || null, r.rising_star === 'yes' ? 1 : 0, r.notes || null, '2026-11-24', now);
        count++;
      }
    } else if (kind === 'activities') {
      const insert = sqlite.prepare(`insert into activities (account_id, date, type, stage, purpose, summary, needs, objections, created_by, created_at, content_key) values (?, ?, ?, ?, ?, ?, null, null, null, ?, ?) returning id`);
      const met = sqlite.prepare('insert into activity_contacts (activity_id, contact_id) values (?, ?)');
      const attended = sqlite.prepare('insert into activity_attendees (activity_id, person_id) values (?, ?)');
      for await (const r of rows(path)) {
        const accountId = accounts.get(nameKey(r.account!))!;
        const contactIds = [...new Set(r.contacts!.split(';').filter(Boolean).map((n) => contacts.get(`${accountId}:${nameKey(n)}`)!))];
        const attendeeIds = r.attendees!.split(';').filter(Boolean).map((e) => person(e)!);
        const key = activityContentKey({ accountId, date: r.date!, type: r.type!, stage: r.stage || null, contactIds, attendeeIds, purpose: r.purpose || null, summary: r.summary || null });
        const { id } = insert.get(accountId, r.date, r.type, r.stage || null, r.purpose || null, r.summary || null, now, key) as { id: number };
        for (const c of contactIds) met.run(id, c);
        for (const p of attendeeIds) attended.run(id, p);
        count++;
      }
    } else {
      const insert = sqlite.prepare(`insert into ratings (contact_id, rated_by, date, acceptance, participation, project_support, information, guidance, competition, note, created_at, content_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?)`);
      for await (const r of rows(path)) {
        const accountId = accounts.get(nameKey(r.account!))!;
        const contactId = contacts.get(`${accountId}:${nameKey(r.contact!)}`)!;
        const values = ratingValues(r);
        const ratedBy = person(r.rated_by!);
        insert.run(contactId, ratedBy, r.date, ...DIMENSIONS.map((d) => values[d] ?? null), now, ratingContentKey({ contactId, date: r.date!, ratedBy, values }));
        count++;
      }
    }
    sqlite.exec('commit');
  } catch (error) {
    sqlite.exec('rollback');
    throw error;
  }
  return count;
}

/** Rows a raw PostgreSQL INSERT carries (at most 65,535 bound values a statement: activities' 11 columns make 11,000). */
const PG_ROWS = 1000;

/**
 * Rows for one table, sent as named prepared multi-row INSERTs of {@link PG_ROWS}
 * rows (the server parses and plans each shape once), the remainder as one of its size.
 */
function pgInserter(client: pg.Client, table: string, columns: readonly string[], returning = false) {
  const width = columns.length;
  let values: unknown[] = [];
  const send = async (batch: unknown[]): Promise<number[]> => {
    const rows = batch.length / width;
    if (rows === 0) return [];
    let n = 0;
    const text = `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, () => `(${columns.map(() => `$${++n}`).join(', ')})`).join(', ')}${returning ? ' returning id' : ''}`;
    const result = await client.query<{ id: number }>({ name: `raw_${table}_${rows}`, text, values: batch });
    return returning ? result.rows.map((r) => r.id) : [];
  };
  return {
    /** Adds a row; when a statement's worth is waiting, sends it and returns the new ids (else none). */
    async add(...row: unknown[]): Promise<number[]> {
      values.push(...row);
      if (values.length < PG_ROWS * width) return [];
      const batch = values;
      values = [];
      return send(batch);
    },
    async flush(): Promise<number[]> {
      const batch = values;
      values = [];
      return send(batch);
    },
  };
}

/**
 * {@link rawImport} on PostgreSQL, with `pg` directly, in one transaction: the same rows
 * and values, as named prepared multi-row INSERTs (a round trip a row would measure the
 * network, not the database; `COPY` would need a client library the project does not use).
 */
export async function rawImportPg(client: pg.Client, kind: ImportKind, path: string): Promise<number> {
  const now = new Date().toISOString();
  const people = new Map<string, number>((await client.query<{ id: number; email: string }>('select id, email from people')).rows.map((r) => [r.email, r.id]));
  const person = async (email: string) => {
    if (!email) return null;
    let id = people.get(email);
    if (id === undefined) people.set(email, (id = (await client.query<{ id: number }>({ name: 'raw_person', text: 'insert into people (name, email, created_at) values ($1, $2, $3) returning id', values: [email.split('@')[0], email, now] })).rows[0]!.id));
    return id;
  };
  const accounts = new Map<string, number>((await client.query<{ id: number; name_key: string }>('select id, name_key from accounts')).rows.map((r) => [r.name_key, r.id]));
  const contacts = new Map<string, number>((await client.query<{ id: number; account_id: number; name_key: string }>('select id, account_id, name_key from contacts')).rows.map((c) => [`${c.account_id}:${c.name_key}`, c.id]));
  let count = 0;
  await client.query('begin');
  try {
    if (kind === 'accounts') {
      const insert = pgInserter(client, 'accounts', ['name', 'name_key', 'tier', 'industry', 'region', 'contribution', 'credit', 'potential', 'account_manager_id', 'solution_manager_id', 'delivery_manager_id', 'sponsor_id', 'tier_set_on', 'created_on', 'updated_at'], true);
      const history = pgInserter(client, 'tier_changes', ['account_id', 'kind', 'from_tier', 'to_tier', 'reason', 'changed_by', 'changed_on', 'changed_at']);
      const tiers: string[] = [];
      const written = async (ids: number[]) => {
        for (const [i, id] of ids.entries()) await history.add(id, 'set', null, tiers[i], 'import', null, '2026-11-24', now);
        tiers.splice(0, ids.length);
      };
      for await (const r of rows(path)) {
        tiers.push(r.tier!);
        await written(await insert.add(r.name, nameKey(r.name!), r.tier, r.industry || null, r.region || null, Number(r.contribution) || null, Number(r.credit) || null, Number(r.potential) || null,
          await person(r.account_manager!), await person(r.solution_manager!), await person(r.delivery_manager!), await person(r.sponsor!), '2026-11-24', '2026-11-24', now));
        count++;
      }
      await written(await insert.flush());
      await history.flush();
    } else if (kind === 'contacts') {
      const insert = pgInserter(client, 'contacts', ['account_id', 'name', 'name_key', 'title', 'department', 'position', 'role', 'owner_a_id', 'owner_b_id', 'owner_c_id', 'style', 'need_level', 'birthday', 'birth_year', 'rising_star', 'notes', 'created_on', 'updated_at']);
      for await (const r of rows(path)) {
        await insert.add(accounts.get(nameKey(r.account!)), r.name, nameKey(r.name!), r.title || null, r.department || null, r.position || null, r.role || 'none', await person(r.owner_a!), await person(r.owner_b!), await person(r.owner_c!),
          r.style || null, Number(r.need_level) || null, r.birthday || null, null, r.rising_star === 'yes' ? 1 : 0, r.notes || null, '2026-11-24', now);
        count++;
      }
      await insert.flush();
    } else if (kind === 'activities') {
      const insert = pgInserter(client, 'activities', ['account_id', 'date', 'type', 'stage', 'purpose', 'summary', 'created_at', 'content_key'], true);
      const met = pgInserter(client, 'activity_contacts', ['activity_id', 'contact_id']);
      const attended = pgInserter(client, 'activity_attendees', ['activity_id', 'person_id']);
      const links: Array<[number[], number[]]> = [];
      const written = async (ids: number[]) => {
        for (const [i, id] of ids.entries()) {
          for (const c of links[i]![0]) await met.add(id, c);
          for (const p of links[i]![1]) await attended.add(id, p);
        }
        links.splice(0, ids.length);
      };
      for await (const r of rows(path)) {
        const accountId = accounts.get(nameKey(r.account!))!;
        const contactIds = [...new Set(r.contacts!.split(';').filter(Boolean).map((n) => contacts.get(`${accountId}:${nameKey(n)}`)!))];
        const attendeeIds: number[] = [];
        for (const e of r.attendees!.split(';').filter(Boolean)) attendeeIds.push((await person(e))!);
        const key = activityContentKey({ accountId, date: r.date!, type: r.type!, stage: r.stage || null, contactIds, attendeeIds, purpose: r.purpose || null, summary: r.summary || null });
        links.push([contactIds, attendeeIds]);
        await written(await insert.add(accountId, r.date, r.type, r.stage || null, r.purpose || null, r.summary || null, now, key));
        count++;
      }
      await written(await insert.flush());
      await met.flush();
      await attended.flush();
    } else {
      const insert = pgInserter(client, 'ratings', ['contact_id', 'rated_by', 'date', 'acceptance', 'participation', 'project_support', 'information', 'guidance', 'competition', 'created_at', 'content_key']);
      for await (const r of rows(path)) {
        const accountId = accounts.get(nameKey(r.account!))!;
        const contactId = contacts.get(`${accountId}:${nameKey(r.contact!)}`)!;
        const values = ratingValues(r);
        const ratedBy = await person(r.rated_by!);
        await insert.add(contactId, ratedBy, r.date, ...DIMENSIONS.map((d) => values[d] ?? null), now, ratingContentKey({ contactId, date: r.date!, ratedBy, values }));
        count++;
      }
      await insert.flush();
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
  return count;
}

/** The SQL of the raw `tier` and `brief`, `?` placeholders (numbered for PostgreSQL by {@link numbered}). */
const QUERIES = {
  account: 'select * from accounts where id = ?',
  contacts: 'select * from contacts where account_id = ? order by name',
  facts: 'select a.id, a.date, a.type, ac.contact_id from activities a left join activity_contacts ac on ac.activity_id = a.id where a.account_id = ? order by a.date, a.id',
  ratings: 'select r.* from ratings r join contacts c on c.id = r.contact_id where c.account_id = ? and r.date > ? and r.date <= ? order by r.date, r.id',
  plans: 'select p.*, max(pr.date) as last_review_on from plans p join contacts c on c.id = p.contact_id left join plan_reviews pr on pr.plan_id = p.id where c.account_id = ? and p.closed_on is null group by p.id',
  holidays: 'select id, code, name, date from holidays order by id',
  openSteps: 'select * from next_steps where account_id = ? and done_on is null order by due_on, id',
  recent: 'select * from activities where account_id = ? order by date desc, id desc limit 5',
  recentContacts: 'select contact_id from activity_contacts where activity_id = ?',
  people: 'select id, name from people where id = ?',
} as const;
type Query = keyof typeof QUERIES;
type Rows = Array<Record<string, never>>;

const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** The rows one account's assessment reads, as the driver returns them. */
interface AccountRows {
  account: Record<string, never>;
  contacts: Rows;
  facts: Array<{ id: number; date: string; type: ActivityType; contact_id: number | null }>;
  ratings: Rows;
  plans: Rows;
  holidays: AccountSnapshot['holidays'];
}

/** The same pure rules the command applies (`assessAccount`), on rows read by hand. */
function assessRows(rows: AccountRows, today: string, rules: Rules) {
  const a = rows.account;
  const cs = rows.contacts.map((c): Contact => ({
    id: c.id, accountId: c.account_id, name: c.name, title: c.title, department: c.department, position: c.position as Position | null, role: c.role as Role,
    ownerAId: c.owner_a_id, ownerBId: c.owner_b_id, ownerCId: c.owner_c_id, style: c.style as Style | null, needLevel: c.need_level, birthday: c.birthday, birthYear: c.birth_year,
    risingStar: c.rising_star === 1, notes: c.notes, createdOn: c.created_on,
  }));
  const byId = new Map<number, AccountSnapshot['activities'][number]>();
  for (const f of rows.facts) {
    let fact = byId.get(f.id);
    if (!fact) byId.set(f.id, (fact = { id: f.id, date: f.date, type: f.type, contactIds: [] }));
    if (f.contact_id !== null) fact.contactIds.push(f.contact_id);
  }
  const rs = rows.ratings.map((r): Rating => {
    const values: Partial<Record<Dimension, number>> = {};
    for (const d of DIMENSIONS) if (r[d] !== null) values[d] = r[d];
    return { id: r.id, contactId: r.contact_id, ratedBy: r.rated_by, date: r.date, values };
  });
  const ps = rows.plans.map((p): Plan => ({
    id: p.id, contactId: p.contact_id, goalLevel: p.goal_level, goalDate: p.goal_date, ownerId: p.owner_id, sponsorId: p.sponsor_id, commitment: p.commitment, cycleDays: p.cycle_days, startDate: p.start_date, lastReviewOn: p.last_review_on,
  }));
  const snapshot: AccountSnapshot = {
    account: {
      id: a.id, name: a.name, tier: a.tier as Tier, industry: a.industry, region: a.region, contribution: a.contribution, credit: a.credit, potential: a.potential,
      accountManagerId: a.account_manager_id, solutionManagerId: a.solution_manager_id, deliveryManagerId: a.delivery_manager_id, sponsorId: a.sponsor_id,
      tierSetOn: a.tier_set_on, tierReviewedOn: a.tier_reviewed_on, createdOn: a.created_on,
    },
    contacts: cs, activities: [...byId.values()], ratings: rs, plans: ps, holidays: rows.holidays,
  };
  return assessAccount(snapshot, today, rules);
}

/** The people a brief names: its steps' owners and its contacts' owners. */
const namedPeople = (assessment: ReturnType<typeof assessAccount>, steps: Array<{ owner_id: number | null }>) =>
  [...new Set([...steps.map((s) => s.owner_id), ...assessment.contacts.flatMap((c) => [c.contact.ownerAId, c.contact.ownerBId])].filter((x) => x !== null))];

/** Loads what `tier` and `brief` need with prepared statements and applies the same pure rules. */
export function rawQueries(sqlite: SQLite.Database, rules: Rules) {
  const q = Object.fromEntries(Object.entries(QUERIES).map(([name, text]) => [name, sqlite.prepare(text)])) as Record<Query, SQLite.Statement>;
  const assess = (id: number, today: string) => assessRows({
    account: q.account.get(id) as Record<string, never>,
    contacts: q.contacts.all(id) as Rows,
    facts: q.facts.all(id) as AccountRows['facts'],
    ratings: q.ratings.all(id, addDays(today, -(rules.attitudeWindowDays + rules.trendLookbackDays)), today) as Rows,
    plans: q.plans.all(id) as Rows,
    holidays: q.holidays.all() as AccountSnapshot['holidays'],
  }, today, rules);
  return {
    tier: (id: number, today: string) => assess(id, today),
    brief: (id: number, today: string) => {
      const assessment = assess(id, today);
      const steps = q.openSteps.all(id) as Array<{ owner_id: number | null }>;
      const latest = (q.recent.all(id) as Array<{ id: number }>).map((r) => ({ ...r, contacts: q.recentContacts.all(r.id) }));
      return { assessment, steps, latest, people: namedPeople(assessment, steps).map((p) => q.people.get(p)) };
    },
  };
}

/**
 * {@link rawQueries} on PostgreSQL: the same statements, named so the server prepares
 * each once per connection, one after another on one `pg` client (as a request holds
 * one connection), and the same pure rules.
 */
export function rawQueriesPg(client: pg.Client, rules: Rules) {
  const run = async <R = Record<string, never>>(name: Query, ...values: unknown[]): Promise<R[]> =>
    (await client.query({ name: `raw_${name}`, text: numbered(QUERIES[name]), values })).rows as R[];
  const assess = async (id: number, today: string) => assessRows({
    account: (await run('account', id))[0]!,
    contacts: await run('contacts', id),
    facts: await run<AccountRows['facts'][number]>('facts', id),
    ratings: await run('ratings', id, addDays(today, -(rules.attitudeWindowDays + rules.trendLookbackDays)), today),
    plans: await run('plans', id),
    holidays: await run<AccountSnapshot['holidays'][number]>('holidays'),
  }, today, rules);
  return {
    tier: (id: number, today: string) => assess(id, today),
    brief: async (id: number, today: string) => {
      const assessment = await assess(id, today);
      const steps = await run<{ owner_id: number | null }>('openSteps', id);
      const latest = [];
      for (const r of await run<{ id: number }>('recent', id)) latest.push({ ...r, contacts: await run('recentContacts', r.id) });
      const people = [];
      for (const p of namedPeople(assessment, steps)) people.push((await run('people', p))[0]);
      return { assessment, steps, latest, people };
    },
  };
}

/** A ratings row's dimension values: a quick level on all six (§3), else the columns given. */
function ratingValues(r: Record<string, string | undefined>): Partial<Record<Dimension, number>> {
  const values: Partial<Record<Dimension, number>> = {};
  for (const d of DIMENSIONS) {
    const v = r.level ? LEVEL_VALUE[r.level as Level] : r[d] ? Number(r[d]) : undefined;
    if (v !== undefined) values[d] = v;
  }
  return values;
}
