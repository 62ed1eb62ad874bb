import type { DbOrTrx } from './create-db.ts';

/** Personal reminders are on unless the person turned them off. */
export async function remindersEnabled(db: DbOrTrx, personId: number): Promise<boolean> {
  const row = await db.selectFrom('reminder_settings').select('enabled').where('person_id', '=', personId).executeTakeFirst();
  return row ? row.enabled === 1 : true;
}

export async function setReminders(db: DbOrTrx, personId: number, enabled: boolean, now: Date): Promise<void> {
  const values = { enabled: enabled ? 1 : 0, updated_at: now.toISOString() };
  await db.insertInto('reminder_settings').values({ person_id: personId, ...values }).onConflict((oc) => oc.column('person_id').doUpdateSet(values)).execute();
}

/** People who turned reminders off. */
export async function peopleWithRemindersOff(db: DbOrTrx): Promise<Set<number>> {
  return new Set((await db.selectFrom('reminder_settings').select('person_id').where('enabled', '=', 0).execute()).map((r) => r.person_id));
}
