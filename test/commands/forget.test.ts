import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordBackup } from '../../src/db/backup.repository.ts';
import type { Db } from '../../src/db/create-db.ts';
import { sqlitePath } from '../../src/db/create-db.ts';
import { HANDLING } from '../../src/db/forget.repository.ts';
import { actor, replyText } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';
import { TEST_ENGINE } from '../helpers/engine.ts';

/** Every text value in every table, as the database stores it. */
async function everyText(db: Db): Promise<string[]> {
  const tables = await db.introspection.getTables();
  const values: string[] = [];
  for (const { name } of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    for (const row of rows.rows) for (const v of Object.values(row)) if (typeof v === 'string') values.push(v);
  }
  return values;
}

describe('forget contact (erasure on request)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add "Xenia Quorrel" --account Acme --position A --role influencer --title CTO --birthday 1979-03-14 --notes "Xenia Quorrel likes jazz"');
    await admin.run('contact add "Bo Lind" --account Acme --role user --notes "Reports to Xenia Quorrel"');
    await admin.run('rate "Xenia Quorrel" coach --note "Xenia Quorrel sponsored the pilot"');
    await admin.run('visit Acme --with "Xenia Quorrel; Bo Lind" --summary "Lunch with Xenia Quorrel" --next "Send Xenia Quorrel the deck; ; 2026-12-01"');
  });
  afterEach(async () => t.cleanup());

  it('leaves no trace of the name in any text column, and keeps counts and attitudes', async () => {
    expect((await everyText(t.db)).some((v) => v.includes('Xenia Quorrel'))).toBe(true);
    const reply = await (await actor(t.db)).run('forget contact xenia --account acme --yes');
    expect(reply.status).toBe('ok');
    expect((await everyText(t.db)).filter((v) => v.includes('Xenia') || v.includes('Quorrel'))).toEqual([]);
    const contact = await t.db.selectFrom('contacts').selectAll().where('name', 'like', 'Forgotten contact%').executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ birthday: null, birth_year: null, notes: null, title: null, role: 'influencer' });
    expect(await t.db.selectFrom('ratings').select(['acceptance', 'note']).where('contact_id', '=', contact.id).execute()).toEqual([{ acceptance: 3, note: null }]);
    expect(await t.db.selectFrom('activity_contacts').select('contact_id').execute()).toHaveLength(2);
    const brief = await (await actor(t.db)).run('brief Acme --json');
    expect((brief.data as { contacts: Array<{ name: string; attitude: { level: string } | null }> }).contacts).toContainEqual(
      expect.objectContaining({ name: `Forgotten contact #${contact.id}`, attitude: expect.objectContaining({ level: 'coach' }) }),
    );
    const line = await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'contact.forget').executeTakeFirstOrThrow();
    expect(line).toEqual({ action: 'contact.forget', entity_id: contact.id });
  });

  it('is for admins only', async () => {
    const alice = await actor(t.db, { as: 'alice@example.com' });
    expect((await alice.run('forget contact xenia --account acme')).data).toEqual({ error: 'access.admin_only' });
    expect(await t.db.selectFrom('contacts').select('name').where('name', '=', 'Xenia Quorrel').execute()).toHaveLength(1);
  });

  it('tells the operator, in their language, which backups still hold the person', async () => {
    // The contact was added on 2026-11-24 (the test clock): a backup from before cannot hold it.
    await recordBackup(t.db, { file: '/backups/old.sqlite', engine: 'sqlite', madeAt: '2026-11-01T02:00:00.000Z', madeBy: null });
    await recordBackup(t.db, { file: '/backups/a.sqlite', engine: 'sqlite', madeAt: '2026-11-24T12:00:00.000Z', madeBy: null });
    await recordBackup(t.db, { file: '/backups/b.sqlite', engine: 'sqlite', madeAt: '2026-11-25T02:00:00.000Z', madeBy: null });
    const reply = await (await actor(t.db, { locale: 'zh-CN' })).run('forget contact xenia --account acme --yes');
    expect(reply.status).toBe('ok');
    expect(replyText(reply)).toContain('此前做的备份仍含有此人：自 2026-11-24（添加此人之日）以来用 mcr backup 做了 2 份，最新的在前：/backups/b.sqlite, /backups/a.sqlite。');
    expect(reply.data).toMatchObject({ backups: { since: '2026-11-24', files: [{ file: '/backups/a.sqlite' }, { file: '/backups/b.sqlite' }] } });
    const later = await actor(t.db, { today: '2026-11-26' });
    await later.run('contact add "Cleo Dunn" --account Acme --role user');
    const none = await later.run('forget contact cleo --account acme --yes');
    expect(replyText(none)).toContain('Backups taken before now still contain this person. None was made with mcr backup since 2026-11-26');
  });
});

/** The people of the thorough test: quotes, an apostrophe and a backslash; a Chinese name. */
const TOM = `Tom "Tiger" O'Brien\\Jr`;
const TOM_SHOUTED = `TOM "tiger" o'BRIEN\\jr`;
const TOM_CURLY = `tom “Tiger” O’Brien\\JR`;
const WANG = '王小明';
/** Personal data that does not contain the name, written on the forgotten contact's card. */
const PRIVATE = ['Chief Network Wizard', 'Skunkworks Lab', 'adores bebop', 'plays squash'];

/** The needles whose every trace must be gone: names and parts of names, plain and escaped once and twice. */
function needles(): string[] {
  const unicodeEscaped = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const plain = [TOM, 'tiger', "o'brien", 'brien\\jr', WANG, '小明', ...PRIVATE];
  const once = plain.map((s) => JSON.stringify(s).slice(1, -1));
  const twice = once.map((s) => JSON.stringify(s).slice(1, -1));
  return [...new Set([...plain, ...once, ...twice, unicodeEscaped(WANG), unicodeEscaped('小明')])];
}

/** Which needles occur in `haystack`, ignoring case (bytes read one to a character, so UTF-8 compares byte for byte). */
function tracesIn(bytes: Buffer): string[] {
  const haystack = bytes.toString('latin1').toLowerCase();
  return needles().filter((n) => haystack.includes(Buffer.from(n, 'utf8').toString('latin1').toLowerCase()));
}

function databaseFiles(url: string): Buffer {
  const path = sqlitePath(url);
  return Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}

/** PostgreSQL: every text column of every table searched for each needle, ignoring case. */
async function tracesInPostgres(db: Db): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb')`.execute(db);
  const found: string[] = [];
  for (const { table_name, column_name } of columns.rows) {
    const { rows } = await sql<{ needle: string }>`
      select needle from unnest(${needles()}::text[]) as needle
      where exists (select 1 from ${sql.table(table_name)} where strpos(lower(${sql.ref(column_name)}::text), lower(needle)) > 0)`.execute(db);
    found.push(...rows.map((r) => `${table_name}.${column_name}: ${r.needle}`));
  }
  return found;
}

describe('forget leaves no trace in the database', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeEach(async () => {
    t = await tempDb();
  });
  afterEach(async () => t.cleanup());

  it('of a person written every way in every place, and keeps everyone else', async () => {
    const admin = await actor(t.db);
    const ok = async (line: string, who = admin) => {
      const reply = await who.run(line);
      expect(reply.status, `${line}: ${replyText(reply)}`).not.toBe('error');
      return reply;
    };
    await ok('account add "Acme Telecom" --tier strategic');
    await ok(`contact add 「${TOM}」 --account Acme --position A --role decision_maker --title 「${PRIVATE[0]}」 --department 「${PRIVATE[1]}」 --birthday 1979-03-14 --style analytical --need-level 4 --rising-star --notes 「${TOM_SHOUTED} ${PRIVATE[2]}」`);
    // Edited: the old notes must not linger in the file's free space either.
    await ok(`contact edit tom tiger --account Acme --notes 「${TOM_CURLY} ${PRIVATE[3]}」`);
    await ok(`contact add ${WANG} --account Acme --position B --role evaluator --title 总监 --birthday 1985-06-01 --notes 「${WANG}喜欢喝茶」`);
    // Other people whose names share a part of the forgotten ones.
    await ok(`contact add "Tom Baker" --account Acme --role user --notes 「Works with ${TOM_SHOUTED} and ${WANG}」`);
    await ok(`contact add 王小红 --account Acme --role user --notes 「${WANG}的同事」`);
    const ids = Object.fromEntries((await t.db.selectFrom('contacts').select(['id', 'name']).execute()).map((c) => [c.name, c.id]));
    const [tom, wang, baker, hong] = [ids[TOM]!, ids[WANG]!, ids['Tom Baker']!, ids['王小红']!];

    await ok(`rate #${tom} coach --note 「${TOM} sponsored the pilot」`);
    await ok(`rate #${wang} supportive --note 「${WANG}支持我们」`);
    await ok(`rate #${baker} neutral --note 「Asked about ${TOM_CURLY}」`);
    await ok(
      `visit Acme --with "#${tom}; #${wang}; #${baker}" --purpose 「Meet ${TOM}」 --summary 「Lunch with ${TOM_SHOUTED} and ${WANG}」 ` +
        `--needs 「${TOM} needs budget」 --objections 「${WANG}担心价格」 --next 「Send ${TOM} the deck; ; 2026-12-01」 --next 「给${WANG}打电话; ; 2026-12-02」`,
    );
    await ok('done 打电话');
    await ok(`plan add #${tom} --goal coach --by 2027-06-30 --commitment 「Win ${TOM}'s trust」`);
    await ok(`review #${tom} --progress 「${TOM_SHOUTED} attended the summit」 --gap 「${PRIVATE[3]}」 --next 「Invite ${WANG} and ${TOM}」`);
    await ok(`plan add #${baker} --goal supportive --by 2027-06-30 --commitment 「Through ${TOM_SHOUTED}」`);
    await ok(`tier-set Acme partner 「${TOM} left the board; ${WANG} took over」`);
    // Cached replies of submissions, as the Slack and Teams adapters key them: the contact's card with title and department.
    await ok(`contact edit #${tom} --department 「${PRIVATE[1]}」`, await actor(t.db, { submissionKey: 'slack:view:V1' }));
    await ok(`rate #${wang} coach`, await actor(t.db, { submissionKey: 'teams:card:K2' }));
    // Texts the bot stores from elsewhere: an error quoting a message, JSON with \u escapes.
    const escaped = JSON.stringify({ text: `${TOM} / ${WANG}` }).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase()}`);
    await t.db.insertInto('digest_subscriptions').values({ platform: 'slack', channel_id: 'C1', frequency: 'weekly', weekday: 1, time: '09:00', timezone: 'UTC', scope: 'all', scope_value: null, locale: 'en', created_by: null, created_at: '2026-11-24T10:00:00Z', last_sent_at: null, last_error: escaped, last_error_at: null }).execute();
    await t.db.insertInto('deliveries').values({ key: 'digest:1:2026-W48', status: 'failed', claimed_by: null, lease_until: null, next_attempt_at: null, error: `msg_too_long: "${TOM_SHOUTED}"`, created_at: '2026-11-24T10:00:00Z', sent_at: null }).execute();

    // Every place is filled: the test could fail.
    const before = TEST_ENGINE === 'sqlite' ? tracesIn(databaseFiles(t.url)) : await tracesInPostgres(t.db);
    expect(before.length).toBeGreaterThan(needles().length / 2);
    const texts = await everyText(t.db);
    for (const needle of [TOM, WANG, PRIVATE[0], PRIVATE[1], PRIVATE[3]]) expect(texts.some((v) => v.includes(needle)), needle).toBe(true);

    const first = await ok('forget contact tom tiger --account acme --yes');
    const second = await ok(`forget contact ${WANG} --account acme --yes`);
    expect(first.data).toMatchObject({ cachedRepliesBlanked: 2 });
    expect((second.data as { cellsScrubbed: number }).cellsScrubbed).toBeGreaterThan(5);

    if (TEST_ENGINE === 'sqlite') {
      // The forget checkpointed and truncated the log: the files on disk are all there is.
      expect(readFileSync(`${sqlitePath(t.url)}-wal`)).toHaveLength(0);
      expect(tracesIn(databaseFiles(t.url))).toEqual([]);
    } else {
      expect(await tracesInPostgres(t.db)).toEqual([]);
    }
    expect((await everyText(t.db)).filter((v) => needles().some((n) => v.toLowerCase().includes(n.toLowerCase())))).toEqual([]);

    // Everyone else is intact: names, their own fields, the account.
    const others = await t.db.selectFrom('contacts').select(['id', 'name', 'notes']).where('id', 'in', [baker, hong]).orderBy('id').execute();
    expect(others).toEqual([
      { id: baker, name: 'Tom Baker', notes: `Works with Forgotten contact #${tom} and Forgotten contact #${wang}` },
      { id: hong, name: '王小红', notes: `Forgotten contact #${wang}的同事` },
    ]);
    expect(await t.db.selectFrom('accounts').select('name').execute()).toEqual([{ name: 'Acme Telecom' }]);
    expect(await t.db.selectFrom('ratings').select('note').where('contact_id', '=', baker).execute()).toEqual([{ note: `Asked about Forgotten contact #${tom}` }]);
    const activity = await t.db.selectFrom('activities').select(['summary', 'objections']).executeTakeFirstOrThrow();
    expect(activity).toEqual({ summary: `Lunch with Forgotten contact #${tom} and Forgotten contact #${wang}`, objections: `Forgotten contact #${wang}担心价格` });
    const reason = await t.db.selectFrom('tier_changes').select('reason').where('to_tier', '=', 'partner').executeTakeFirstOrThrow();
    expect(reason.reason).toBe(`Forgotten contact #${tom} left the board; Forgotten contact #${wang} took over`);
    const escapedAfter = await t.db.selectFrom('digest_subscriptions').select('last_error').executeTakeFirstOrThrow();
    expect(JSON.parse(escapedAfter.last_error!)).toEqual({ text: `Forgotten contact #${tom} / Forgotten contact #${wang}` });

    // The forgotten contact: a tombstone that keeps its place on the decision chain, nothing that describes it.
    const row = await t.db.selectFrom('contacts').selectAll().where('id', '=', tom).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: `Forgotten contact #${tom}`, name_key: `forgotten${tom}`, title: null, department: null, notes: null, birthday: null, birth_year: null,
      style: null, need_level: null, rising_star: 0, position: 'A', role: 'decision_maker',
    });
    expect(await t.db.selectFrom('ratings').select(['acceptance', 'note']).where('contact_id', '=', tom).execute()).toEqual([{ acceptance: 3, note: null }]);
    expect(await t.db.selectFrom('plans').select(['goal_level', 'commitment']).where('contact_id', '=', tom).execute()).toEqual([{ goal_level: 'coach', commitment: null }]);
    expect(await t.db.selectFrom('plan_reviews').select(['progress', 'gap', 'next_actions']).execute()).toEqual([{ progress: null, gap: null, next_actions: null }]);

    // The audit keeps who forgot whom and when; the lines about the contact keep no detail.
    const audit = await t.db.selectFrom('audit_log').selectAll().where('entity', '=', 'contact').where('entity_id', '=', tom).orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.detail === null])).toEqual([['contact.create', true], ['contact.update', true], ['contact.update', true], ['contact.forget', false]]);
    expect(audit.at(-1)).toMatchObject({ actor_id: admin.ctx.actor.id, at: '2026-11-24T10:00:00.000Z' });
    expect(Object.keys(JSON.parse(audit.at(-1)!.detail!)).sort()).toEqual(['account', 'cachedReplies', 'cells', 'ownTexts']);

    // A retried submission still writes once; its answer no longer repeats the card.
    const retried = await (await actor(t.db, { submissionKey: 'slack:view:V1' })).run(`contact edit #${baker} --department Sales`);
    expect(retried).toMatchObject({ replayed: true, blocks: [{ type: 'text', text: 'This was already saved.' }] });
    expect(await t.db.selectFrom('contacts').select('department').where('id', '=', baker).executeTakeFirstOrThrow()).toEqual({ department: null });
  });

  it('keeps the longer names of other records, and says which they are', async () => {
    const admin = await actor(t.db);
    await admin.run('account add "Acme Telecom" --tier strategic');
    await admin.run('contact add 王明 --account Acme --role user');
    await admin.run('contact add 王明华 --account Acme --role user --notes 「王明华和王明是同事」');
    const hua = (await t.db.selectFrom('contacts').select('id').where('name', '=', '王明华').executeTakeFirstOrThrow()).id;
    const reply = await admin.run('forget contact 王明 --account Acme --yes');
    const wang = (reply.data as { contact: { id: number } }).contact.id;
    expect(await t.db.selectFrom('contacts').select(['name', 'notes']).where('id', '=', hua).executeTakeFirstOrThrow()).toEqual({ name: '王明华', notes: `王明华和Forgotten contact #${wang}是同事` });
    expect(reply.data).toMatchObject({ namedElsewhere: [{ table: 'contacts', id: hua, longer: true }] });
    expect(replyText(reply)).toContain(`1 other records have names that include this name and were left as they are: contact #${hua}.`);
  });
});

describe('what forget does with each column', () => {
  it('is said for every column of every table the migrations create', async () => {
    const t = await tempDb();
    try {
      const tables = (await t.db.introspection.getTables()).filter((table) => !table.name.startsWith('kysely_'));
      const actual = Object.fromEntries(tables.map((table) => [table.name, table.columns.map((c) => c.name).sort()]));
      const handled = Object.fromEntries(Object.entries(HANDLING).map(([table, columns]) => [table, Object.keys(columns).sort()]));
      expect(actual).toEqual(handled);
    } finally {
      await t.cleanup();
    }
  });
});
