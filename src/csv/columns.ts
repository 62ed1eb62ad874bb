import { DIMENSIONS } from '../domain/model.ts';

/** The CSV columns of interfaces.md, per table (header names; order free). */
export const COLUMNS = {
  accounts: ['name', 'tier', 'industry', 'region', 'contribution', 'credit', 'potential', 'account_manager', 'solution_manager', 'delivery_manager', 'sponsor'],
  contacts: ['account', 'name', 'title', 'department', 'position', 'role', 'owner_a', 'owner_b', 'owner_c', 'style', 'need_level', 'birthday', 'rising_star', 'notes'],
  activities: ['date', 'account', 'type', 'contacts', 'attendees', 'stage', 'purpose', 'summary'],
  ratings: ['date', 'account', 'contact', 'rated_by', 'level', ...DIMENSIONS],
} as const;

export type ImportKind = keyof typeof COLUMNS;
export const IMPORT_KINDS = Object.keys(COLUMNS) as ImportKind[];

/** Columns a file must have. */
export const REQUIRED: Record<ImportKind, readonly string[]> = {
  accounts: ['name'],
  contacts: ['account', 'name'],
  activities: ['date', 'account', 'type'],
  ratings: ['date', 'account', 'contact', 'rated_by'],
};

/** Lists inside a cell (`contacts`, `attendees`) are separated by `;`. */
export const LIST_SEPARATOR = ';';
