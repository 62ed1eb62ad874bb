import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.ts';
import type { Db } from '../../src/db/create-db.ts';
import { actor, replyText, type TestActor } from '../helpers/context.ts';
import { tempDb } from '../helpers/db.ts';

/**
 * Issue 14 part 3, through the commands and their forms: who may change an account's
 * tier and roles, and a contact's owners. Acme is managed by Alice; its contact Zhang
 * Wei is owned by Olivia; Globex has no manager; Mallory is allowed to use the bot
 * and holds nothing.
 */

/** Every row of every table, sorted: "nothing was written" means this does not change. */
async function everything(db: Db): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const { name } of await db.introspection.getTables()) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    state[name] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  return state;
}

type Who = 'stranger' | 'owner' | 'manager' | 'admin';
/** In this order: the refused ones try first, on the untouched records. */
const EVERYONE: Who[] = ['stranger', 'owner', 'manager', 'admin'];

interface World {
  db: Db;
  people: Record<Who, TestActor>;
  acme: number;
  globex: number;
  zhang: number;
}

/** The person reference an actor types for themselves. */
const self = (who: TestActor) => `#${who.ctx.actor.id}`;
const ownerB = (w: World, who: TestActor) => (who === w.people.owner ? w.people.manager : who);

async function account(db: Db, id: number) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function contact(db: Db, id: number) {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

interface Attempt {
  name: string;
  /** Who may: the account's holders (admins, its manager), the contact's (and its owners), or anyone allowed. */
  guards: 'account' | 'contact' | 'nothing';
  /** The error code of a refusal. */
  refusal?: string;
  attempt(w: World, who: TestActor): Promise<Reply>;
  /** After an allowed attempt: the change is there. */
  done(w: World, who: TestActor): Promise<void>;
}

/** Opens the edit form as this person, changes some values and submits it (what Slack and Teams do). */
async function editForm(who: TestActor, line: string, change: Record<string, string>): Promise<Reply> {
  const opened = await who.run(line);
  expect(opened.form, line).toBeDefined();
  return who.submit(opened.form!.id, { ...opened.form!.values, ...change }, opened.form!.context);
}

const ATTEMPTS: Attempt[] = [
  {
    name: 'account edit: name yourself account manager (with a region in the same edit)',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => who.run(`account edit Acme --account-manager ${self(who)} --region Mars`),
    done: async (w, who) => expect(await account(w.db, w.acme)).toMatchObject({ account_manager_id: who.ctx.actor.id, region: 'Mars' }),
  },
  {
    name: 'account edit --tier',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => who.run('account edit Acme --tier strategic'),
    done: async (w) => {
      expect(await account(w.db, w.acme)).toMatchObject({ tier: 'strategic' });
      expect(await w.db.selectFrom('tier_changes').select(['from_tier', 'to_tier']).where('account_id', '=', w.acme).orderBy('id').execute()).toContainEqual({ from_tier: 'priority', to_tier: 'strategic' });
    },
  },
  {
    name: 'account edit: a sponsor nobody knows yet (no person is created when refused)',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => who.run('account edit Acme --sponsor newbie@example.com'),
    done: async (w) => {
      const newbie = await w.db.selectFrom('people').select('id').where('email', '=', 'newbie@example.com').executeTakeFirstOrThrow();
      expect(await account(w.db, w.acme)).toMatchObject({ sponsor_id: newbie.id });
    },
  },
  {
    name: 'account edit: solution and delivery manager',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => who.run(`account edit Acme --solution-manager ${self(who)} --delivery-manager ${self(who)}`),
    done: async (w, who) => expect(await account(w.db, w.acme)).toMatchObject({ solution_manager_id: who.ctx.actor.id, delivery_manager_id: who.ctx.actor.id }),
  },
  {
    name: 'account edit: remove the account manager',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => who.run('account edit Acme --account-manager -'),
    done: async (w) => expect(await account(w.db, w.acme)).toMatchObject({ account_manager_id: null }),
  },
  {
    name: 'the account.edit form: change the account manager',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => editForm(who, 'account edit Acme', { account_manager: self(who), industry: 'Telecom' }),
    done: async (w, who) => expect(await account(w.db, w.acme)).toMatchObject({ account_manager_id: who.ctx.actor.id, industry: 'Telecom' }),
  },
  {
    name: 'tier-set: change the tier',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => who.run('tier-set Acme strategic "Signed the framework deal"'),
    done: async (w) => expect(await account(w.db, w.acme)).toMatchObject({ tier: 'strategic' }),
  },
  {
    name: 'tier-set: confirm the same tier (a review)',
    guards: 'account',
    refusal: 'access.account_roles',
    attempt: (w, who) => who.run('tier-set Acme priority "Annual review"'),
    done: async (w) => expect(await w.db.selectFrom('tier_changes').select('kind').where('account_id', '=', w.acme).execute()).toContainEqual({ kind: 'review' }),
  },
  {
    name: 'contact edit: make yourself owner B (with notes in the same edit)',
    guards: 'contact',
    refusal: 'access.contact_owners',
    // Owner A cannot also be owner B (mcr-model §2, refused as input): the owner names a colleague instead.
    attempt: (w, who) => who.run(`contact edit Zhang --owner-b ${self(ownerB(w, who))} --notes "Likes tea"`),
    done: async (w, who) => expect(await contact(w.db, w.zhang)).toMatchObject({ owner_b_id: ownerB(w, who).ctx.actor.id, notes: 'Likes tea' }),
  },
  {
    name: 'contact edit: remove owner A',
    guards: 'contact',
    refusal: 'access.contact_owners',
    attempt: (w, who) => who.run('contact edit Zhang --owner-a -'),
    done: async (w) => expect(await contact(w.db, w.zhang)).toMatchObject({ owner_a_id: null }),
  },
  {
    name: 'the contact.edit form: replace owner A',
    guards: 'contact',
    refusal: 'access.contact_owners',
    attempt: (w, who) => editForm(who, 'contact edit Zhang', { owner_a: 'newbie@example.com', title: 'CIO' }),
    done: async (w) => {
      const newbie = await w.db.selectFrom('people').select('id').where('email', '=', 'newbie@example.com').executeTakeFirstOrThrow();
      expect(await contact(w.db, w.zhang)).toMatchObject({ owner_a_id: newbie.id, title: 'CIO' });
    },
  },
  {
    name: 'the contact.edit form: move the contact to another account (which changes who governs its owners)',
    guards: 'contact',
    refusal: 'access.contact_owners',
    attempt: (w, who) => editForm(who, 'contact edit Zhang', { account: `#${w.globex}` }),
    done: async (w) => expect(await contact(w.db, w.zhang)).toMatchObject({ account_id: w.globex }),
  },
  {
    name: 'account edit of a field that is not a role',
    guards: 'nothing',
    attempt: (w, who) => who.run('account edit Acme --region EMEA --potential 5'),
    done: async (w) => expect(await account(w.db, w.acme)).toMatchObject({ region: 'EMEA', potential: 5 }),
  },
  {
    name: 'the account.edit form submitted with its roles untouched',
    guards: 'nothing',
    attempt: (w, who) => editForm(who, 'account edit Acme', { industry: 'Telecom' }),
    done: async (w) => expect(await account(w.db, w.acme)).toMatchObject({ industry: 'Telecom', account_manager_id: w.people.manager.ctx.actor.id, tier: 'priority' }),
  },
  {
    name: 'the contact.edit form submitted with its owners untouched',
    guards: 'nothing',
    attempt: (w, who) => editForm(who, 'contact edit Zhang', { department: 'IT' }),
    done: async (w) => expect(await contact(w.db, w.zhang)).toMatchObject({ department: 'IT', owner_a_id: w.people.owner.ctx.actor.id }),
  },
];

function allowed(attempt: Attempt, who: Who): boolean {
  if (who === 'admin' || attempt.guards === 'nothing') return true;
  if (who === 'manager') return true;
  return who === 'owner' && attempt.guards === 'contact';
}

describe('roles that cannot be climbed (issue 14)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let w: World;
  beforeEach(async () => {
    t = await tempDb();
    const admin = await actor(t.db);
    await admin.run('account add Acme --tier priority --account-manager alice@example.com');
    await admin.run('account add Globex --tier general');
    await admin.run('contact add "Zhang Wei" --account Acme --role decision_maker --owner-a olivia@example.com');
    const people = {
      stranger: await actor(t.db, { as: 'mallory@example.com' }),
      owner: await actor(t.db, { as: 'olivia@example.com' }),
      manager: await actor(t.db, { as: 'alice@example.com' }),
      admin,
    };
    const id = async (table: 'accounts' | 'contacts', name: string) => (await t.db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    w = { db: t.db, people, acme: await id('accounts', 'Acme'), globex: await id('accounts', 'Globex'), zhang: await id('contacts', 'Zhang Wei') };
    expect(people.stranger.ctx).toMatchObject({ isAllowed: true, isAdmin: false });
  });
  afterEach(async () => t.cleanup());

  it.each(ATTEMPTS)('$name: admins and holders may, others are refused and nothing is written', async (attempt) => {
    for (const who of EVERYONE) {
      const person = w.people[who];
      const before = await everything(t.db);
      const reply = await attempt.attempt(w, person);
      if (allowed(attempt, who)) {
        expect(reply.status, `${who}: ${replyText(reply)}`).toBe('ok');
        await attempt.done(w, person);
      } else {
        expect(reply.status, who).toBe('error');
        expect(reply.data, who).toMatchObject({ error: attempt.refusal });
        expect(await everything(t.db), `${who} wrote something`).toEqual(before);
      }
    }
  });

  it('the climb of the issue: naming yourself manager, then setting the tier, is refused at each step', async () => {
    const mallory = w.people.stranger;
    const before = await everything(t.db);
    const climb = await mallory.run('account edit Acme --account-manager mallory@example.com');
    expect(climb.data).toEqual({ error: 'access.account_roles', fields: 'Account manager', name: 'Acme', manager: 'alice' });
    expect(replyText(climb).trim()).toBe('You may not change Account manager of Acme: only an admin or its account manager (alice) may. Nothing was saved.');
    expect((await mallory.run('tier-set Acme strategic "I say so"')).data).toMatchObject({ error: 'access.account_roles' });
    // An account nobody manages yet is not free to take either: only an admin may name its first manager.
    const unmanaged = await mallory.run('account edit Globex --account-manager mallory@example.com --tier strategic');
    expect(unmanaged.data).toEqual({ error: 'access.account_roles_unmanaged', fields: 'Tier, Account manager', name: 'Globex' });
    expect(replyText(unmanaged)).toContain('it has no account manager, so only an admin may');
    expect((await mallory.run('tier-set Globex strategic "I say so"')).data).toMatchObject({ error: 'access.account_roles_unmanaged' });
    expect(await everything(t.db)).toEqual(before);
    expect(w.people.stranger.log.lines.filter((l) => l.msg === 'role change refused')).toHaveLength(4);
  });

  it('a hand-over: the manager names another, then loses the right, which the new manager has', async () => {
    const { manager: alice, stranger: mallory } = w.people;
    expect((await alice.run('account edit Acme --account-manager bob@example.com')).status).toBe('ok');
    const bob = await actor(t.db, { as: 'bob@example.com' });
    expect((await alice.run('tier-set Acme strategic "Still mine?"')).data).toEqual({ error: 'access.account_roles', fields: 'Tier', name: 'Acme', manager: 'bob' });
    expect((await alice.run('account edit Acme --account-manager alice@example.com')).data).toMatchObject({ error: 'access.account_roles' });
    expect((await bob.run('tier-set Acme strategic "Framework deal"')).status).toBe('ok');
    expect((await mallory.run('account edit Acme --sponsor mallory@example.com')).data).toMatchObject({ error: 'access.account_roles', manager: 'bob' });
    expect(await account(t.db, w.acme)).toMatchObject({ account_manager_id: bob.ctx.actor.id, tier: 'strategic', sponsor_id: null });
  });

  it('a contact owner hands over: the old owner then may not change the owners, the new one may', async () => {
    const { owner: olivia } = w.people;
    expect((await olivia.run('contact edit Zhang --owner-a peter@example.com')).status).toBe('ok');
    const peter = await actor(t.db, { as: 'peter@example.com' });
    const back = await olivia.run('contact edit Zhang --owner-b olivia@example.com');
    expect(back.data).toEqual({ error: 'access.contact_owners', fields: 'Owner B', name: 'Zhang Wei', account: 'Acme' });
    expect(replyText(back).trim()).toBe('You may not change Owner B of Zhang Wei: only an admin, the account manager of Acme or the contact’s owners may. Nothing was saved.');
    // Other fields stay open to everyone allowed.
    expect((await olivia.run('contact edit Zhang --notes "Met at the summit"')).status).toBe('ok');
    expect((await peter.run('contact edit Zhang --owner-b olivia@example.com')).status).toBe('ok');
    expect(await contact(t.db, w.zhang)).toMatchObject({ owner_a_id: peter.ctx.actor.id, owner_b_id: olivia.ctx.actor.id, notes: 'Met at the summit' });
  });

  it('creating: anyone allowed sets the tier and roles of a new account or contact; naming another manager hands the account over', async () => {
    const mallory = w.people.stranger;
    expect((await mallory.run('account add Initech --tier strategic --account-manager mallory@example.com --sponsor alice@example.com')).status).toBe('ok');
    expect((await mallory.run('tier-set Initech partner "Smaller than hoped"')).status).toBe('ok');
    expect((await mallory.run('account add Hooli --tier partner --account-manager alice@example.com')).status).toBe('ok');
    expect((await mallory.run('account edit Hooli --tier strategic')).data).toMatchObject({ error: 'access.account_roles', manager: 'alice' });
    expect((await mallory.run('contact add "Li Na" --account Acme --owner-a mallory@example.com --owner-b olivia@example.com')).status).toBe('ok');
    expect((await mallory.run('contact edit "Li Na" --owner-b peter@example.com')).status).toBe('ok');
    expect((await mallory.run('plan add "Li Na" --goal supportive --by 2027-05-31 --owner olivia@example.com --sponsor alice@example.com')).status).toBe('ok');
  });

  it('says it in Chinese to a Chinese speaker', async () => {
    const wang = await actor(t.db, { as: 'wang@example.com', locale: 'zh-CN' });
    expect(replyText(await wang.run('account edit Acme --account-manager wang@example.com --tier 战略客户')).trim()).toBe('你不能修改Acme的客户分级、客户经理：只有管理员或该客户的客户经理（alice）可以修改。未保存任何内容。');
    expect(replyText(await wang.run('contact edit Zhang --owner-c wang@example.com')).trim()).toBe('你不能修改Zhang Wei的C角：只有管理员、Acme的客户经理或该联系人的负责人可以修改。未保存任何内容。');
  });

  it('CSV import is not a chat command: only the operator (an admin) runs it, from the mcr command line', async () => {
    const reply = await w.people.stranger.run('import accounts accounts.csv');
    expect(reply.data).toMatchObject({ error: 'command.unknown', value: 'import' });
  });
});
