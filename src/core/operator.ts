import { userInfo } from 'node:os';
import { ensureLocalPerson, ensurePersonByRef, findLocalPerson } from '../db/person.repository.ts';
import type { Person } from '../domain/types.ts';
import type { AppDeps } from './context.ts';

export interface Operator {
  person: Person;
  /**
   * Set when `MCR_OPERATOR` is not: the OS user acted as, for the line (`operator.hint`)
   * that says how to act as a real person. `firstUse` is true when this run created the
   * OS user's record, so the CLI says it once.
   */
  hint?: { user: string; firstUse: boolean };
}

/**
 * The person the console and the CLI act as (issue 15 part 6): `MCR_OPERATOR`'s email,
 * created on first use; without it the operating-system user, as before.
 */
export async function resolveOperator(deps: Pick<AppDeps, 'db' | 'config'>, now: Date): Promise<Operator> {
  const email = deps.config.operator;
  if (email) return { person: (await ensurePersonByRef(deps.db, email, now))! };
  const username = userInfo().username;
  const existed = (await findLocalPerson(deps.db, username)) !== undefined;
  const person = await ensureLocalPerson(deps.db, username, now);
  return { person, hint: { user: username, firstUse: !existed } };
}
