import { insertActivityRows, type ActivityBatchRow } from '../../db/bulk-load.repository.ts';
import { activityContentKey } from '../../db/content-key.ts';
import { distinct } from '../../domain/collections.ts';
import { ACTIVITY_TYPE_IDS, STAGES } from '../../domain/model.ts';
import { CellError, choice, date, freeText, list } from './cells.ts';
import { contentKeyedWrite } from './content-match.ts';
import { noCounts, type ImporterFactory } from './importer.ts';
import { recordLookups, settled } from './lookups.ts';

/** Activities, with their contacts and attendees, recognised by what they say (content-match.ts). */

export const importActivities: ImporterFactory = async (trx, options) => {
  const { accounts, contact, person } = await recordLookups(trx, options.now);
  const counts = noCounts();
  const createdAt = options.now.toISOString();
  type Parsed = ActivityBatchRow & { key: string };
  return {
    keyColumn: 'date',
    counts,
    parse(row) {
      const day = date(row, 'date');
      const accountId = accounts.id(row, 'account');
      const type = choice(row, 'type', 'activity', ACTIVITY_TYPE_IDS);
      if (!type) throw new CellError('type', { code: 'import.problem.required' });
      const stage = choice(row, 'stage', 'stage', STAGES);
      const contacts = list(row, 'contacts').map((name) => contact(accountId, name, 'contacts'));
      const attendees = list(row, 'attendees').map((ref) => person(ref, 'attendees')!);
      return settled([...contacts, ...attendees], (ids) => {
        const contactIds = distinct(ids.slice(0, contacts.length));
        const attendeeIds = distinct(ids.slice(contacts.length));
        const purpose = freeText(row, 'purpose', false);
        const summary = freeText(row, 'summary', true);
        const key = activityContentKey({ accountId, date: day, type, stage, contactIds, attendeeIds, purpose, summary });
        const activity = { account_id: accountId, date: day, type, stage, purpose, summary, needs: null, objections: null, created_by: options.actorId, created_at: createdAt, content_key: key };
        return { key, contactIds, attendeeIds, activity } satisfies Parsed;
      });
    },
    write: await contentKeyedWrite<Parsed>(trx, 'activities', counts, (fresh) => insertActivityRows(trx, fresh)),
  };
};
