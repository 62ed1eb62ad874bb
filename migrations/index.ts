import type { Migration } from 'kysely';
import * as initial from './20261124090000_initial.ts';
import * as conversations from './20261125090000_conversations.ts';
import * as digests from './20261125100000_digests.ts';
import * as activityFactsIndex from './20261125110000_activity_facts_index.ts';
import * as deliveryProgress from './20261125120000_delivery_progress.ts';
import * as backups from './20261128104000_backups.ts';
import * as departmentScores from './20261128140000_department_scores.ts';
import * as undoActions from './20261128141000_undo_actions.ts';
import * as activityFactsIndexId from './20261128150000_activity_facts_index_id.ts';
import * as plannedVisits from './20261128160000_planned_visits.ts';
import * as roleIndexes from './20261129090000_role_indexes.ts';
import * as ratingsAttitudeIndex from './20261129230000_ratings_attitude_index.ts';

/**
 * Every migration, by name (names sort by time). A static list because Kysely's
 * FileMigrationProvider cannot import `.ts` files on Node 20.
 */
export const migrations: Record<string, Migration> = {
  '20261124090000_initial': initial,
  '20261125090000_conversations': conversations,
  '20261125100000_digests': digests,
  '20261125110000_activity_facts_index': activityFactsIndex,
  '20261125120000_delivery_progress': deliveryProgress,
  '20261128104000_backups': backups,
  '20261128140000_department_scores': departmentScores,
  '20261128141000_undo_actions': undoActions,
  '20261128150000_activity_facts_index_id': activityFactsIndexId,
  '20261128160000_planned_visits': plannedVisits,
  '20261129090000_role_indexes': roleIndexes,
  '20261129230000_ratings_attitude_index': ratingsAttitudeIndex,
};
