import { LEVEL_VALUE, type Level, type Style } from './model.ts';

/** §10 what to suggest next, as codes the i18n catalogs turn into words. */
export const APPROACH_BUILD = ['formal_visit', 'business_exchange', 'dinner', 'company_tour'] as const;
export const APPROACH_DEEPEN = ['community', 'family', 'circle', 'advisor_role', 'leisure'] as const;
export const NEED_ACTIONS = {
  basic: ['sports', 'entertainment', 'travel', 'modest_gifts'],
  esteem: ['high_courtesy', 'ceremonial_events'],
  self_actualization: ['career_development', 'forum_speaking', 'advisory_roles', 'awards', 'associations'],
} as const;

export type Approach = (typeof APPROACH_BUILD)[number] | (typeof APPROACH_DEEPEN)[number];
export type NeedAction = (typeof NEED_ACTIONS)[keyof typeof NEED_ACTIONS][number];

export interface Suggestion {
  /** By attitude: build the connection (unknown, opposed, neutral) or deepen it (supportive and up). */
  approach: Approach[];
  /** By Maslow need level: 1–3 basic, 4 esteem, 5 self-actualization; empty when unknown. */
  needs: NeedAction[];
  /** By social style: how to talk to them (`null` when unknown). */
  style: Style | null;
}

/** §10 suggestions for one contact. (Always, and shown once: stay within policy and law.) */
export function suggest(level: Level | null, needLevel: number | null, style: Style | null): Suggestion {
  const deepen = level !== null && LEVEL_VALUE[level] >= LEVEL_VALUE.supportive;
  const needs: NeedAction[] =
    needLevel === null ? [] : needLevel <= 3 ? [...NEED_ACTIONS.basic] : needLevel === 4 ? [...NEED_ACTIONS.esteem] : [...NEED_ACTIONS.self_actualization];
  return { approach: deepen ? [...APPROACH_DEEPEN] : [...APPROACH_BUILD], needs, style };
}
