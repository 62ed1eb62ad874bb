import { insertActivity } from '../db/activity.repository.ts';
import { insertAccount } from '../db/account.repository.ts';
import { insertContact, type ContactFields } from '../db/contact.repository.ts';
import type { DbOrTrx } from '../db/create-db.ts';
import { ensurePersonByRef, setPersonName } from '../db/person.repository.ts';
import { insertPlan } from '../db/plan.repository.ts';
import { insertRating } from '../db/rating.repository.ts';
import { quickRatingValues } from '../domain/attitude.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import type { ActivityType, Level, Tier } from '../domain/model.ts';

/**
 * A small fictional sample (`mcr demo`): four accounts, one per tier, English and
 * Chinese names, a year of activities and ratings ending today, so that a brief shows
 * attitudes with trends, gaps and care. Dates are relative to `today`; the data is
 * the same on every run.
 */
export const DEMO_ACCOUNTS = ['Acme Telecom', '华信银行', 'Northwind Logistics', '青山制造'] as const;

interface DemoContact extends Partial<ContactFields> {
  name: string;
  /** Days from today to the next birthday, for care reminders that show up now. */
  birthdayIn?: number;
  ratings?: Array<[daysAgo: number, level: Level]>;
}

interface DemoAccount {
  name: string;
  tier: Tier;
  industry: string;
  region: string;
  scores: [number, number, number];
  roles: [manager: string, solution: string | null, delivery: string | null, sponsor: string | null];
  /** How long ago the account was added (and its tier set). */
  addedDaysAgo: number;
  contacts: DemoContact[];
  activities: Array<[daysAgo: number, type: ActivityType, contacts: string[], summary: string]>;
  plans?: Array<[contact: string, goal: Level, startedDaysAgo: number]>;
}

const PEOPLE = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'david@example.com', 'erin@example.com'];
const NAMES: Record<string, string> = { alice: 'Alice Chen', bob: 'Bob Li', carol: 'Carol Wang', david: 'David Zhao', erin: 'Erin Smith' };

const ACCOUNTS: DemoAccount[] = [
  {
    name: 'Acme Telecom', tier: 'strategic', industry: 'Telecommunications', region: 'EMEA', scores: [5, 4, 4],
    roles: ['alice', 'bob', 'carol', 'david'], addedDaysAgo: 400,
    contacts: [
      { name: 'Margaret Lee', title: 'CEO', position: 'S', role: 'decision_maker', ownerAId: 0, ownerBId: 3, style: 'driver', needLevel: 4, ratings: [[330, 'neutral'], [200, 'neutral'], [40, 'supportive']] },
      { name: 'Tom Baker', title: 'CTO', position: 'A', role: 'influencer', ownerAId: 1, ownerBId: 0, style: 'analytical', needLevel: 5, birthdayIn: 3, ratings: [[300, 'coach'], [150, 'coach'], [20, 'exclusive']] },
      { name: 'Priya Nair', title: 'Procurement Director', department: 'Procurement', position: 'B', role: 'evaluator', ownerAId: 0, style: 'amiable', needLevel: 3, ratings: [[120, 'neutral'], [10, 'opposed']] },
      { name: 'Sam Ortiz', title: 'NOC Lead', department: 'Operations', position: 'C', role: 'user', ownerAId: 2, ownerBId: 4, style: 'expressive', needLevel: 2, risingStar: true, ratings: [[60, 'supportive']] },
      { name: 'Jo Front', title: 'Reception', position: 'C', role: 'none' },
    ],
    activities: [
      [330, 'summit', ['Margaret Lee'], 'Annual summit: 5-year network roadmap'],
      [250, 'service_meeting', ['Tom Baker', 'Sam Ortiz'], 'Service annual meeting'],
      [160, 'workshop', ['Tom Baker'], 'Cloud core strategy workshop'],
      [120, 'joint_innovation', ['Tom Baker'], 'Joint 5G lab opened'],
      [90, 'planning', ['Margaret Lee', 'Tom Baker'], 'Joint business plan 2027'],
      [75, 'forum', ['Sam Ortiz'], 'Industry forum booth visit'],
      [45, 'visit', ['Priya Nair'], 'Pricing review; objections on support fees'],
      [25, 'training', ['Sam Ortiz'], 'Management training for operations'],
      [12, 'exchange', ['Tom Baker', 'Priya Nair'], 'Technical exchange on migration plan'],
      [5, 'meal', ['Sam Ortiz'], 'Team dinner after go-live'],
    ],
    plans: [['Margaret Lee', 'exclusive', 70]],
  },
  {
    name: '华信银行', tier: 'partner', industry: '金融', region: '华东', scores: [4, 4, 3],
    roles: ['erin', 'bob', null, null], addedDaysAgo: 300,
    contacts: [
      { name: '王建国', title: '行长', position: 'S', role: 'decision_maker', ownerAId: 4, ownerBId: 3, style: 'driver', needLevel: 4, ratings: [[200, 'neutral'], [30, 'opposed']] },
      { name: '李娜', title: 'CIO', position: 'A', role: 'influencer', ownerAId: 1, ownerBId: 4, style: 'expressive', needLevel: 5, birthdayIn: 6, ratings: [[100, 'supportive'], [15, 'coach']] },
      { name: '陈晓', title: '信息部主任', department: '信息科技部', position: 'B', role: 'evaluator', ownerAId: 4, style: 'analytical', needLevel: 3, ratings: [[50, 'supportive']] },
    ],
    activities: [
      [280, 'exec_visit', ['王建国'], '高层互访：总部参观'],
      [140, 'roadmap', ['李娜'], '路标交流：核心系统云化'],
      [70, 'culture_exchange', ['李娜', '陈晓'], '文化交流'],
      [35, 'visit', ['陈晓'], '项目进展沟通'],
      [8, 'care', ['李娜'], '中秋问候'],
    ],
  },
  {
    name: 'Northwind Logistics', tier: 'priority', industry: 'Logistics', region: 'Americas', scores: [3, 3, 3],
    roles: ['alice', null, 'carol', null], addedDaysAgo: 200,
    contacts: [
      { name: 'Grace Kim', title: 'VP Operations', position: 'A', role: 'decision_maker', ownerAId: 0, ownerBId: 2, style: 'amiable', needLevel: 3, ratings: [[100, 'neutral'], [5, 'supportive']] },
      { name: 'Omar Haddad', title: 'IT Manager', position: 'C', role: 'user', ownerAId: 2, ownerBId: 0, style: 'analytical', needLevel: 2 },
    ],
    activities: [
      [150, 'company_tour', ['Grace Kim'], 'Visited our logistics hub'],
      [70, 'visit', ['Omar Haddad'], 'Quarterly check-in'],
    ],
  },
  {
    name: '青山制造', tier: 'general', industry: '制造', region: '华南', scores: [2, 3, 1],
    roles: ['erin', null, null, null], addedDaysAgo: 120,
    contacts: [{ name: '赵敏', title: '采购经理', position: 'C', role: 'none', ownerAId: 4 }],
    activities: [[40, 'visit', ['赵敏'], '首次拜访']],
  },
];

/** Loads the sample with the repositories, in the caller's transaction. */
export async function loadDemo(db: DbOrTrx, actorId: number, today: IsoDate, now: Date): Promise<{ accounts: number; contacts: number; activities: number; ratings: number }> {
  const people: number[] = [];
  for (const email of PEOPLE) {
    const person = (await ensurePersonByRef(db, email, now))!;
    await setPersonName(db, person.id, NAMES[email.split('@')[0]!]!);
    people.push(person.id);
  }
  const personId = (key: string | null) => (key === null ? null : people[PEOPLE.indexOf(`${key}@example.com`)]!);
  const counts = { accounts: 0, contacts: 0, activities: 0, ratings: 0 };
  // Whoever loads the sample (the console's operator, MCR_OPERATOR) joins every contact as its
  // third owner (§2 owner_c), so `home`, reminders and digests show something on the first try;
  // owner_c leaves the A/B pairs, and so the single-owner gaps, as the sample has them.
  const joining = people.includes(actorId) ? null : actorId;
  for (const spec of ACCOUNTS) {
    const added = addDays(today, -spec.addedDaysAgo);
    const [manager, solution, delivery, sponsor] = spec.roles;
    const account = await insertAccount(
      db,
      {
        name: spec.name, tier: spec.tier, industry: spec.industry, region: spec.region,
        contribution: spec.scores[0], credit: spec.scores[1], potential: spec.scores[2],
        accountManagerId: personId(manager), solutionManagerId: personId(solution), deliveryManagerId: personId(delivery), sponsorId: personId(sponsor),
      },
      { by: actorId, today: added, now },
    );
    counts.accounts++;
    const contactIds = new Map<string, number>();
    for (const c of spec.contacts) {
      const birthday = c.birthdayIn === undefined ? null : addDays(today, c.birthdayIn).slice(5);
      const owner = (index: number | null | undefined) => (index === null || index === undefined ? null : people[index]!);
      const contact = await insertContact(
        db,
        {
          accountId: account.id, name: c.name, title: c.title ?? null, department: c.department ?? null, position: c.position ?? null, role: c.role ?? 'none',
          ownerAId: owner(c.ownerAId), ownerBId: owner(c.ownerBId), ownerCId: joining, style: c.style ?? null, needLevel: c.needLevel ?? null,
          birthday, birthYear: null, risingStar: c.risingStar ?? false, notes: null,
        },
        added,
        now,
      );
      contactIds.set(c.name, contact.id);
      counts.contacts++;
      for (const [daysAgo, level] of c.ratings ?? []) {
        await insertRating(db, { contactId: contact.id, ratedBy: owner(c.ownerAId), date: addDays(today, -daysAgo), values: quickRatingValues(level), note: null }, now);
        counts.ratings++;
      }
    }
    for (const [daysAgo, type, names, summary] of spec.activities) {
      await insertActivity(
        db,
        {
          accountId: account.id, date: addDays(today, -daysAgo), type, stage: null, contactIds: names.map((n) => contactIds.get(n)!),
          attendeeIds: [personId(manager)!], purpose: null, summary, needs: null, objections: null, createdBy: actorId,
          nextSteps: daysAgo < 50 ? [{ text: (/\p{Script=Han}/u.test(summary) ? `跟进：${summary}` : `Follow up: ${summary}`).slice(0, 120), ownerId: personId(manager), dueOn: addDays(today, 14 - daysAgo) }] : [],
        },
        now,
      );
      counts.activities++;
    }
    for (const [name, goal, startedDaysAgo] of spec.plans ?? []) {
      const start = addDays(today, -startedDaysAgo);
      await insertPlan(db, { contactId: contactIds.get(name)!, goalLevel: goal, goalDate: addDays(start, 182), ownerId: personId(manager), sponsorId: personId(sponsor), commitment: 'Executive sponsorship of the 2027 programme', cycleDays: 60, startDate: start, createdBy: actorId }, now);
    }
  }
  return counts;
}
