import { insertRatingRows } from '../../db/bulk-load.repository.ts';
import { ratingContentKey } from '../../db/content-key.ts';
import { matchLevel } from '../../core/resolve.ts';
import { DIMENSIONS, LEVEL_VALUE, type Dimension } from '../../domain/model.ts';
import { CellError, date, required, text } from './cells.ts';
import { contentKeyedWrite } from './content-match.ts';
import { noCounts, type ImporterFactory } from './importer.ts';
import { recordLookups, settled } from './lookups.ts';

/** Ratings, one a row (a level for all six dimensions, or each given apart), recognised by what they say (content-match.ts). */

export const importRatings: ImporterFactory = async (trx, options) => {
  const { accounts, contact, person } = await recordLookups(trx, options.now);
  const counts = noCounts();
  const createdAt = options.now.toISOString();
  type Parsed = { key: string; row: { contact_id: number; rated_by: number | null; date: string; note: null; created_at: string; content_key: string } & Record<Dimension, number | null> };
  return {
    keyColumn: 'contact',
    counts,
    parse(row) {
      const day = date(row, 'date');
      const accountId = accounts.id(row, 'account');
      const contactRef = contact(accountId, required(row, 'contact'), 'contact');
      const rater = person(text(row, 'rated_by'), 'rated_by');
      if (rater === null) throw new CellError('rated_by', { code: 'import.problem.required' });
      const values: Partial<Record<Dimension, number>> = {};
      const quick = text(row, 'level');
      if (quick !== null) {
        const level = matchLevel(quick);
        if (!level) throw new CellError('level', { code: 'import.problem.not_level', values: { value: quick } });
        for (const d of DIMENSIONS) values[d] = LEVEL_VALUE[level];
      }
      for (const d of DIMENSIONS) {
        const cell = text(row, d);
        if (cell === null) continue;
        const level = matchLevel(cell);
        if (!level) throw new CellError(d, { code: 'import.problem.not_dimension_level', values: { value: cell } });
        values[d] = LEVEL_VALUE[level];
      }
      if (Object.keys(values).length === 0) throw new CellError('level', { code: 'import.problem.no_level' });
      return settled([contactRef, rater], ([contactId, ratedBy]) => {
        const key = ratingContentKey({ contactId, date: day, ratedBy, values });
        const stored = { contact_id: contactId, rated_by: ratedBy, date: day, note: null, created_at: createdAt, content_key: key } as Parsed['row'];
        for (const d of DIMENSIONS) stored[d] = values[d] ?? null;
        return { key, row: stored } satisfies Parsed;
      });
    },
    write: await contentKeyedWrite<Parsed>(trx, 'ratings', counts, (fresh) => insertRatingRows(trx, fresh.map((r) => r.row))),
  };
};
