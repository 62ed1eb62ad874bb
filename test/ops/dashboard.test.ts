import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../src/metrics/prometheus.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The series names a scrape exposes: each `# TYPE`, and a histogram's _bucket, _sum and _count. */
async function exposed(): Promise<Set<string>> {
  const text = await createPrometheusMetrics({ pools: new Map([['main', () => ({ engine: 'sqlite', max: 1, open: 1 }) as const]]) }).scrape();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** The metric names a PromQL text uses. */
const metricNames = (text: string) => [...text.matchAll(/\b((?:mcr|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);

describe('ops/grafana-dashboard.json and the README\'s queries (issue 17)', () => {
  it('ask only for metrics the bot exposes', async () => {
    const names = await exposed();
    const dashboard = JSON.parse(readFileSync(`${ROOT}ops/grafana-dashboard.json`, 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dashboard.panels.length).toBeGreaterThan(5);
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)));
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const monitoring = readme.slice(readme.indexOf('## Monitoring'), readme.indexOf('\n## ', readme.indexOf('## Monitoring') + 1));
    const queried = metricNames(monitoring.split('```promql')[1]?.split('```')[0] ?? '');
    expect(queried.length).toBeGreaterThan(5);
    expect([...used, ...queried].filter((name) => !names.has(name))).toEqual([]);
  });
});
