import type { LoadFigures } from './run.ts';

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const sec = (n: number) => (Number.isFinite(n) ? (n / 1000).toFixed(1) : '—');
const seconds = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const whole = (n: number) => Math.round(n).toLocaleString('en-US');

/** The columns of the load table, in order (the suite checks each is printed). */
export const LOAD_COLUMNS = [
  'engine', 'instances', 'app', 'requests', 'requests/s', 'ack p50 (ms)', 'ack p99 (ms)', 'ack p99 / bare', 'reply p50 (ms)', 'reply p99 (ms)',
  'picture p50 (s)', 'picture p99 (s)', 'pictures late', 'event loop delay p99 (ms)', 'event loop delay max (ms)', 'GC (s)', 'CPU main thread / app / load generator (s)', 'errors', 'visits acked', 'visits lost or doubled', 'digests sent', 'digest delay p50 (s)', 'digest delay max (s)', 'ack p99 brief / visit / tier / home (ms)', 'goals',
] as const;

/**
 * The `--load` table: for each configuration a row for bare Bolt and one for the bot,
 * and whether the goals of issue 19 part 2 are met (zero errors and lost writes, ack p99
 * ≤ 1.3× bare Bolt, reply p99 ≤ 100 ms, every digest out within its minute).
 */
export function loadTable(runs: LoadFigures[]): string[] {
  const out = [`| ${LOAD_COLUMNS.join(' | ')} |`, `|${LOAD_COLUMNS.map((_, i) => (i < 3 ? '---' : i === LOAD_COLUMNS.length - 1 ? '---' : '---:')).join('|')}|`];
  for (const run of runs) {
    const { bare, bot } = run;
    const ratio = bot.p99 / Math.max(bare.p99, 1);
    const unmet = [
      bot.errors > 0 && `${bot.errors} errors`,
      bot.visits.lost + bot.visits.duplicates > 0 && `${bot.visits.lost} lost, ${bot.visits.duplicates} written twice`,
      ratio > 1.3 && 'ack p99 > 1.3× bare',
      !(bot.replies.p99 <= 100) && 'reply p99 > 100 ms',
      (bot.digests.sent < bot.digests.due || !(bot.digests.maxDelay < 60)) && 'digests late or missing',
    ].filter(Boolean);
    const cpu = (acks: typeof bare) => `${seconds(acks.cpu.mainThread)} / ${seconds(acks.cpu.app)} / ${seconds(acks.cpu.load)}`;
    const byKind = (acks: typeof bare) => (['brief', 'visit', 'tier', 'home'] as const).map((k) => ms(acks.p99Of[k])).join(' / ');
    out.push(`| ${run.engine} | ${run.instances} | bare Bolt | ${whole(bare.requests)} | ${whole(bare.perSecond)} | ${ms(bare.p50)} | ${ms(bare.p99)} | 1.00 | — | — | — | — | — | — | — | — | ${cpu(bare)} | ${bare.errors} | — | — | — | — | — | ${byKind(bare)} | |`);
    out.push(`| ${run.engine} | ${run.instances} | MCR Bot | ${whole(bot.requests)} | ${whole(bot.perSecond)} | ${ms(bot.p50)} | ${ms(bot.p99)} | ${ratio.toFixed(2)} | ${ms(bot.replies.p50)} | ${ms(bot.replies.p99)} | ${sec(bot.pictures.p50)} | ${sec(bot.pictures.p99)} | ${bot.pictures.late} | ${ms(bot.mainThread.loopDelayP99)} | ${ms(bot.mainThread.loopDelayMax)} | ${bot.mainThread.gcSeconds.toFixed(2)} | ${cpu(bot)} | ${bot.errors} | ${bot.visits.acked} | ${bot.visits.lost + bot.visits.duplicates} | ${bot.digests.sent}/${bot.digests.due} | ${ms(bot.digests.p50Delay)} | ${ms(bot.digests.maxDelay)} | ${byKind(bot)} | ${unmet.length === 0 ? 'met' : `NOT met: ${unmet.join('; ')}`} |`);
  }
  return out;
}
