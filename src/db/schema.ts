import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table and row types (migrations/ hold the DDL). Dates are `YYYY-MM-DD` text, timestamps ISO text, booleans 0/1. */

export interface PeopleTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  slack_id: string | null;
  teams_id: string | null;
  local_user: string | null;
  locale: string | null;
  created_at: string;
}

export interface AccountsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  tier: string;
  industry: string | null;
  region: string | null;
  contribution: number | null;
  credit: number | null;
  potential: number | null;
  account_manager_id: number | null;
  solution_manager_id: number | null;
  delivery_manager_id: number | null;
  sponsor_id: number | null;
  tier_set_on: string;
  tier_reviewed_on: string | null;
  created_on: string;
  updated_at: string;
}

export interface TierChangesTable {
  id: Generated<number>;
  account_id: number;
  kind: 'set' | 'review';
  from_tier: string | null;
  to_tier: string;
  reason: string | null;
  changed_by: number | null;
  changed_on: string;
  changed_at: string;
}

export interface ContactsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  name_key: string;
  title: string | null;
  department: string | null;
  position: string | null;
  role: Generated<string>;
  owner_a_id: number | null;
  owner_b_id: number | null;
  owner_c_id: number | null;
  style: string | null;
  need_level: number | null;
  birthday: string | null;
  birth_year: number | null;
  rising_star: Generated<number>;
  notes: string | null;
  created_on: string;
  updated_at: string;
}

export interface ActivitiesTable {
  id: Generated<number>;
  account_id: number;
  date: string;
  type: string;
  stage: string | null;
  purpose: string | null;
  summary: string | null;
  needs: string | null;
  objections: string | null;
  created_by: number | null;
  created_at: string;
  content_key: string;
}

export interface ActivityContactsTable {
  activity_id: number;
  contact_id: number;
}

export interface ActivityAttendeesTable {
  activity_id: number;
  person_id: number;
}

export interface NextStepsTable {
  id: Generated<number>;
  activity_id: number;
  account_id: number;
  text: string;
  owner_id: number | null;
  due_on: string | null;
  done_on: string | null;
  done_by: number | null;
}

export interface RatingsTable {
  id: Generated<number>;
  contact_id: number;
  rated_by: number | null;
  date: string;
  acceptance: number | null;
  participation: number | null;
  project_support: number | null;
  information: number | null;
  guidance: number | null;
  competition: number | null;
  note: string | null;
  created_at: string;
  content_key: string;
}

export interface PlansTable {
  id: Generated<number>;
  contact_id: number;
  goal_level: string;
  goal_date: string;
  owner_id: number | null;
  sponsor_id: number | null;
  commitment: string | null;
  cycle_days: number;
  start_date: string;
  closed_on: string | null;
  created_by: number | null;
  created_at: string;
}

export interface PlanReviewsTable {
  id: Generated<number>;
  plan_id: number;
  date: string;
  score: number | null;
  level: string | null;
  progress: string | null;
  gap: string | null;
  next_actions: string | null;
  reviewed_by: number | null;
  created_at: string;
}

export interface HolidaysTable {
  id: Generated<number>;
  code: string | null;
  name: string;
  name_key: string;
  date: string;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  detail: string | null;
}

export interface SubmissionsTable {
  key: string;
  command: string;
  reply: string | null;
  created_at: string;
}

/** A chat conversation the bot may post to later (migration 20261125090000). */
export interface ConversationsTable {
  platform: 'slack' | 'teams';
  conversation_id: string;
  kind: 'personal' | 'groupChat' | 'channel';
  person_id: number | null;
  /** The platform's reference as JSON (Teams: a Bot Framework ConversationReference). */
  reference: string;
  updated_at: string;
}

/** A channel's scheduled digest (migration 20261125100000). */
export interface DigestSubscriptionsTable {
  id: Generated<number>;
  platform: 'slack' | 'teams';
  channel_id: string;
  frequency: 'weekly' | 'daily';
  /** 1 = Monday … 7 = Sunday (weekly only). */
  weekday: number;
  /** `HH:MM`, local to `timezone`. */
  time: string;
  timezone: string;
  scope: 'all' | 'mine' | 'tier' | 'accounts';
  /** The tier id, or the account ids as JSON. */
  scope_value: string | null;
  locale: string;
  created_by: number | null;
  created_at: string;
  last_sent_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

/** The exactly-once ledger of scheduled sends: one row per (what, period). */
export interface DeliveriesTable {
  key: string;
  status: 'claimed' | 'sent' | 'failed' | 'skipped';
  attempts: Generated<number>;
  claimed_by: string | null;
  lease_until: string | null;
  next_attempt_at: string | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  /** Messages of a split send already posted: a retry goes on from the next. */
  parts_sent: Generated<number>;
}

export interface ReminderSettingsTable {
  person_id: number;
  enabled: number;
  updated_at: string;
}

/** A backup `mcr backup` made (migration 20261128104000): forget says which still hold a person. */
export interface BackupsTable {
  id: Generated<number>;
  /** The absolute path written, as seen by the machine that ran `mcr backup`. */
  file: string;
  engine: 'sqlite' | 'postgres';
  made_at: string;
  made_by: number | null;
}

/** What an account team recorded for one customer department (§11, migration 20261128140000). */
export interface DepartmentScoresTable {
  id: Generated<number>;
  account_id: number;
  /** As first typed; `department_key` (domain/names.ts nameKey) is what matches. */
  department: string;
  department_key: string;
  target: number | null;
  support: string | null;
  channel_open: number | null;
  incident_spread: number | null;
  updated_by: number | null;
  updated_at: string;
}

/** An account's §11 weighting of process and result (`30_70` or `20_80`); no row is the default. */
export interface DepartmentWeightingsTable {
  account_id: number;
  weighting: string;
  updated_by: number | null;
  updated_at: string;
}

/** A write that its author may undo for a few minutes (migration 20261128141000). */
export interface UndoActionsTable {
  /** What the `undo <token>` command and the Undo button carry. */
  token: string;
  actor_id: number;
  /** The audit code of the write undone: `activity.create`, `rating.delete`, … */
  action: string;
  entity: 'activity' | 'rating' | 'next_step';
  entity_id: number;
  /** The record's rows as JSON (see undo.repository.ts); null: it did not exist. */
  before_state: string | null;
  after_state: string | null;
  created_at: string;
  expires_at: string;
  undone_at: string | null;
}

/** A visit planned on a day ahead (migration 20261128160000): not an activity until logged. */
export interface PlannedVisitsTable {
  id: Generated<number>;
  account_id: number;
  owner_id: number;
  date: string;
  /** `HH:MM` in MCR_TIMEZONE, or null: some time that day. */
  time: string | null;
  purpose: string | null;
  status: 'planned' | 'logged' | 'cancelled';
  /** The visit logged from it. */
  activity_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface PlannedVisitContactsTable {
  plan_id: number;
  contact_id: number;
  /** The order the planner named them in. */
  position: number;
}

export interface Database {
  people: PeopleTable;
  accounts: AccountsTable;
  tier_changes: TierChangesTable;
  contacts: ContactsTable;
  activities: ActivitiesTable;
  activity_contacts: ActivityContactsTable;
  activity_attendees: ActivityAttendeesTable;
  next_steps: NextStepsTable;
  ratings: RatingsTable;
  plans: PlansTable;
  plan_reviews: PlanReviewsTable;
  holidays: HolidaysTable;
  audit_log: AuditLogTable;
  submissions: SubmissionsTable;
  conversations: ConversationsTable;
  digest_subscriptions: DigestSubscriptionsTable;
  deliveries: DeliveriesTable;
  reminder_settings: ReminderSettingsTable;
  backups: BackupsTable;
  department_scores: DepartmentScoresTable;
  department_weightings: DepartmentWeightingsTable;
  undo_actions: UndoActionsTable;
  planned_visits: PlannedVisitsTable;
  planned_visit_contacts: PlannedVisitContactsTable;
}

export type PersonRow = Selectable<PeopleTable>;
export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type ActivityRow = Selectable<ActivitiesTable>;
export type NextStepRow = Selectable<NextStepsTable>;
export type RatingRow = Selectable<RatingsTable>;
export type PlanRow = Selectable<PlansTable>;
export type PlanReviewRow = Selectable<PlanReviewsTable>;
export type HolidayRow = Selectable<HolidaysTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type DigestSubscriptionRow = Selectable<DigestSubscriptionsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
