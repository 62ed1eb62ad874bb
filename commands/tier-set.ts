import { changeTier } from '../src/db/account.repository.ts';
import { defineCommand } from '../src/core/command.ts';
import { arg, closest } from '../src/core/args.ts';
import type { Context } from '../src/core/command.ts';
import { UsageError } from '../src/core/errors.ts';
import { matchId, resolveAccount } from '../src/core/resolve.ts';
import { guardAccountRoles } from '../src/core/role-guard.ts';
import { transact } from '../src/core/transact.ts';
import { TIERS } from '../src/domain/model.ts';
import { cleanText } from '../src/domain/text.ts';
import { label, t } from '../src/i18n/index.ts';

/**
 * No word is a tier: the words that name an account are found (the longest run from the
 * start), and the word after them is the tier typed wrong, or missing. Always throws.
 */
async function refuseWrongTier(ctx: Context, words: readonly string[]): Promise<never> {
  const valid = { expects: 'choice' as const, valid: [...TIERS], group: 'tier' };
  for (let k = words.length - 1; k >= 1; k--) {
    if (!(await resolveAccount(ctx, words.slice(0, k).join(' ')).catch(() => undefined))) continue;
    const near = closest(words[k]!, TIERS);
    throw new UsageError({ code: 'usage.bad_value', argument: 'tier', value: words[k], ...valid, candidates: near.length > 0 ? near : [...TIERS], target: { kind: 'words', from: k, to: k + 1 } }, 'tier-set');
  }
  // One word, or no account among them: the account is named first, so it is the fault (or the tier is missing).
  await resolveAccount(ctx, words.length === 1 ? words[0]! : words.slice(0, -1).join(' '));
  throw new UsageError({ code: 'usage.missing_value', argument: 'tier', ...valid }, 'tier-set');
}

/**
 * `tier-set <account> <tier> <reason>`: change (or confirm, which counts as a review)
 * an account's tier; kept as history (§1). Admins and the account's manager only (permissions.ts).
 */
export const tierSet = defineCommand({
  name: 'tier-set',
  usage: 'tier-set <account> <tier> <reason>',
  grammar: { subject: { name: 'account', required: true, then: [{ name: 'tier', spec: arg.choice(TIERS, 'tier'), required: true }, { name: 'reason', spec: arg.text(), required: true }] } },
  summary: 'cmd.tier_set.summary',
  examples: ['tier-set Acme strategic "Signed the 3-year framework deal"', 'tier-set 华信银行 伙伴客户 年度评审'],
  run: async (ctx, args) => {
    const words = args.positional;
    const at = words.findIndex((w, i) => i > 0 && matchId('tier', TIERS, w) !== undefined);
    if (at < 1) await refuseWrongTier(ctx, words);
    if (at === words.length - 1) throw new UsageError({ code: 'usage.missing_value', argument: 'reason', expects: 'text' }, 'tier-set');
    const account = await resolveAccount(ctx, words.slice(0, at).join(' '));
    const to = matchId('tier', TIERS, words[at]!)!;
    const reason = cleanText(words.slice(at + 1).join(' '), { multiline: false });
    // Confirming the same tier (a review) is setting it too: the same rule, whether or not it changes.
    await guardAccountRoles(ctx, account, ['tier']);
    return transact(ctx, 'tier-set', async (w) => {
      await changeTier(w.trx, account, to, { reason, by: ctx.actor.id, today: ctx.today, now: ctx.now });
      await w.audit(to === account.tier ? 'tier.review' : 'tier.change', 'account', account.id, { from: account.tier, to, reason });
      const L = ctx.locale;
      const text =
        to === account.tier
          ? t(L, 'tier_set.reviewed', { name: account.name, tier: label(L, 'tier', to) })
          : t(L, 'tier_set.changed', { name: account.name, from: label(L, 'tier', account.tier), to: label(L, 'tier', to) });
      return { blocks: [{ type: 'text', text, tone: 'success' }], visibility: 'private', data: { account: { id: account.id, name: account.name }, from: account.tier, tier: to, reason, on: ctx.today } };
    });
  },
});
