import { DIMENSIONS } from '../domain/model.ts';

/** The CSV columns of interfaces.md, per table (header names; order free). */
export const COLUMNS = {
  accounts: ['name', 'tier', 'industry', 'region', 'contribution', 'credit', 'potential', 'account_manager', 'solution_manager', 'delivery_manager', 'sponsor'],
  contacts: ['account', 'name', 'title', 'department', 'position', 'role', 'owner_a', 'owner_b', 'owner_c', 'style', 'need_level', 'birthday', 'rising_star', 'notes'],
  activities: ['date', 'account', 'type', 'contacts', 'attendees', 'stage', 'purpose', 'summary'],
  ratings: ['date', 'account', 'contact', 'rated_by', 'level', ...DIMENSIONS],
} as const;

/**
 * The free-text columns: names, people and notes, which export neutralises when a
 * spreadsheet would read them as a formula (formula.ts). The others hold numbers,
 * dates and vocabulary ids that import checks, so they cannot carry a formula.
 */
export const TEXT_COLUMNS: { readonly [K in keyof typeof COLUMNS]: ReadonlyArray<(typeof COLUMNS)[K][number]> } = {
  accounts: ['name', 'industry', 'region', 'account_manager', 'solution_manager', 'delivery_manager', 'sponsor'],
  contacts: ['account', 'name', 'title', 'department', 'owner_a', 'owner_b', 'owner_c', 'notes'],
  activities: ['account', 'contacts', 'attendees', 'purpose', 'summary'],
  ratings: ['account', 'contact', 'rated_by'],
};

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
