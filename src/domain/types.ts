import type { IsoDate } from './dates.ts';
import type { ActivityType, Dimension, Level, Position, Role, Stage, Style, Tier } from './model.ts';

/** The domain's view of the records (mcr-model.md §1–§8); repositories map rows to these. */

export interface Person {
  id: number;
  name: string;
  email: string | null;
  slackId: string | null;
  teamsId: string | null;
  locale: string | null;
}

export interface ValueInputs {
  contribution: number | null;
  credit: number | null;
  potential: number | null;
}

export interface Account extends ValueInputs {
  id: number;
  name: string;
  tier: Tier;
  industry: string | null;
  region: string | null;
  accountManagerId: number | null;
  solutionManagerId: number | null;
  deliveryManagerId: number | null;
  sponsorId: number | null;
  /** §1 when the tier was last set, and last reviewed without change. */
  tierSetOn: IsoDate;
  tierReviewedOn: IsoDate | null;
  createdOn: IsoDate;
}

export interface Contact {
  id: number;
  accountId: number;
  name: string;
  title: string | null;
  department: string | null;
  position: Position | null;
  role: Role;
  ownerAId: number | null;
  ownerBId: number | null;
  ownerCId: number | null;
  style: Style | null;
  needLevel: number | null;
  /** `MM-DD`; the year, when known, is kept apart. */
  birthday: string | null;
  birthYear: number | null;
  risingStar: boolean;
  notes: string | null;
  createdOn: IsoDate;
}

/** What the rules need to know of an activity. */
export interface ActivityFact {
  id: number;
  date: IsoDate;
  type: ActivityType;
  contactIds: number[];
}

export interface Activity extends ActivityFact {
  accountId: number;
  stage: Stage | null;
  attendeeIds: number[];
  purpose: string | null;
  summary: string | null;
  needs: string | null;
  objections: string | null;
  createdBy: number | null;
}

export interface NextStep {
  id: number;
  activityId: number;
  accountId: number;
  text: string;
  ownerId: number | null;
  dueOn: IsoDate | null;
  doneOn: IsoDate | null;
}

/** §3 one of our people's rating of a contact on some of the six dimensions (−1…3 each). */
export interface Rating {
  id: number;
  contactId: number;
  ratedBy: number | null;
  date: IsoDate;
  values: Partial<Record<Dimension, number>>;
}

/** §6 a key relationship plan. */
export interface Plan {
  id: number;
  contactId: number;
  goalLevel: Level;
  goalDate: IsoDate;
  ownerId: number | null;
  sponsorId: number | null;
  commitment: string | null;
  cycleDays: number;
  startDate: IsoDate;
  lastReviewOn: IsoDate | null;
}

/** §8 a holiday: `MM-DD` (Gregorian) or `lunar:MM-DD`; `code` names a default one with translated labels. */
export interface Holiday {
  id: number;
  code: string | null;
  name: string;
  date: string;
}
