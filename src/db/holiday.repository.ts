import { nameKey } from '../domain/names.ts';
import type { Holiday } from '../domain/types.ts';
import { ConflictError } from '../domain/errors.ts';
import type { DbOrTrx } from './create-db.ts';
import { refusingDuplicates } from './sql.ts';

export async function listHolidays(db: DbOrTrx): Promise<Holiday[]> {
  const rows = await db.selectFrom('holidays').select(['id', 'code', 'name', 'date']).orderBy('id').execute();
  return rows;
}

export async function insertHoliday(db: DbOrTrx, name: string, date: string, now: Date): Promise<Holiday> {
  return refusingDuplicates('name_key', () => new ConflictError('holiday.exists', { name }), () =>
    db
      .insertInto('holidays')
      .values({ name, name_key: nameKey(name), date, code: null, created_at: now.toISOString() })
      .returning(['id', 'code', 'name', 'date'])
      .executeTakeFirstOrThrow(),
  );
}

export async function deleteHoliday(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('holidays').where('id', '=', id).execute();
}
