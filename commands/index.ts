import type { Command } from '../src/core/command.ts';
import { account } from './account.ts';
import { audit } from './audit.ts';
import { brief } from './brief.ts';
import { contact } from './contact.ts';
import { dept } from './dept.ts';
import { demo } from './demo.ts';
import { digest } from './digest.ts';
import { done } from './done.ts';
import { forget } from './forget.ts';
import { help } from './help.ts';
import { holiday } from './holiday.ts';
import { home } from './home.ts';
import { map } from './map.ts';
import { plan } from './plan.ts';
import { rate } from './rate.ts';
import { remind } from './remind.ts';
import { review } from './review.ts';
import { tier } from './tier.ts';
import { step } from './step.ts';
import { tierSet } from './tier-set.ts';
import { undo } from './undo.ts';
import { visit } from './visit.ts';

/** Every chat command, once. Adapters and help loop over this list; there is no other. */
export const commands: Command[] = [visit, rate, tier, brief, home, account, contact, plan, review, done, step, undo, digest, remind, tierSet, dept, map, holiday, forget, audit, demo, help];
