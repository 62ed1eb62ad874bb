/** A LIKE pattern for "starts with"; name keys hold no LIKE wildcards, and any in other text are dropped. */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, '')}%`;
}

/** Booleans are stored as 0/1 on every engine (see the first migration). */
export const toFlag = (value: boolean): number => (value ? 1 : 0);
export const fromFlag = (value: number | boolean | null): boolean => value === 1 || value === true;
