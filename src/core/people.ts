import { findPersonById, findPersonByRef, linkPlatformPerson, type PlatformUser } from '../db/person.repository.ts';
import type { Person } from '../domain/types.ts';
import { systemClock } from './clock.ts';
import type { Context } from './command.ts';
import type { AppDeps } from './context.ts';
import type { FormValue, FormValues } from './reply.ts';

export type { PlatformUser };

/**
 * The port a chat platform implements: who one of its users is, as its own
 * directory says (Slack's `users.info`, the Teams roster). The core links what it
 * answers to the one person record; the adapter never reads that record itself.
 */
export interface PeopleDirectory {
  readonly platform: PlatformUser['platform'];
  profile(userId: string): Promise<PlatformUser>;
}

/** A platform user's one person record: found by platform id, else by email, else made. */
export function linkPerson(deps: AppDeps, user: PlatformUser): Promise<Person> {
  return linkPlatformPerson(deps.db, user, (deps.clock ?? systemClock).now());
}

/**
 * A person a form shows prefilled (`#12`, or an email or a platform id as edit forms
 * write them), so the adapter can show them as its own user; undefined when unknown.
 */
export async function prefilledPerson(ctx: Pick<Context, 'db'>, value: string): Promise<Person | undefined> {
  const id = /^#(\d+)$/.exec(value)?.[1];
  return id ? findPersonById(ctx.db, Number(id)) : findPersonByRef(ctx.db, value);
}

/**
 * A form's person fields as the platform picked them (`slack:U123`): each becomes the
 * person's `#id`, linking (or making) their record through the platform's directory.
 * Other values are left as typed.
 */
export async function linkPickedPeople(deps: AppDeps, directory: PeopleDirectory, values: FormValues): Promise<FormValues> {
  const prefix = `${directory.platform}:`;
  const person = async (value: string) => {
    if (!value.startsWith(prefix)) return value;
    const linked = await linkPerson(deps, await directory.profile(value.slice(prefix.length)));
    return `#${linked.id}`;
  };
  const convert = async (value: FormValue | undefined): Promise<FormValue | undefined> => {
    if (typeof value === 'string') return person(value);
    if (!Array.isArray(value)) return value;
    const out = [];
    for (const item of value) {
      if (typeof item === 'string') out.push(await person(item));
      else out.push(Object.fromEntries(await Promise.all(Object.entries(item).map(async ([k, v]) => [k, await person(v)] as const))));
    }
    return out as FormValue;
  };
  const out: FormValues = {};
  for (const [key, value] of Object.entries(values)) out[key] = await convert(value);
  return out;
}
