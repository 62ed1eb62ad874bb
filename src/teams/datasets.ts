/** Datasets a card's `Data.Query` names (Teams type-ahead, answered in listeners/search.ts). */
export const SEARCH_DATASET = { account: 'accounts', contact: 'contacts', person: 'people' } as const;

/** The `Data.Query` dataset of a lookup field: contacts name the chosen account (`contacts:#12`). */
export function datasetOf(source: 'account' | 'contact' | 'person', accountRef?: string): string {
  return source === 'contact' ? `${SEARCH_DATASET.contact}:${accountRef ?? ''}` : SEARCH_DATASET[source];
}

/** `contacts:#12` → ['contacts', '#12']. */
export function splitDataset(dataset: string): [string, string | undefined] {
  const at = dataset.indexOf(':');
  return at < 0 ? [dataset, undefined] : [dataset.slice(0, at), dataset.slice(at + 1)];
}
