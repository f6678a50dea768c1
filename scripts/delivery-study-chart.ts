// Draws study 3's answer (scenarios/studies/delivery.yaml) from its sweep's points.csv: SP requests per second
// (log scale) and the share delivered within 3 minutes, per delivery design at each fleet size. The sweep's own
// charts plot one metric against one parameter; this one sets the designs side by side.
// `npx tsc -p . && node dist/scripts/delivery-study-chart.js [sweep-dir]` writes delivery-designs.svg there.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { readCsvTable } from '../src/report/csv-table.js';
import { renderSvg } from '../src/report/render-svg.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = process.argv[2] ?? join(root, 'results', 'studies', 'delivery');
const table = readCsvTable(join(dir, 'points.csv'), ['point', 'topology.edgeServers', 'design.delivery', 'metric', 'mean']);

interface Point { servers: string; design: string; spRequestsPerS: number; within180s: number; meanS: number }
const byPoint = new Map<string, Partial<Point> & { requests?: number; simulatedS?: number }>();
for (const row of table.rows) {
  const key = row.text('point');
  const point = byPoint.get(key) ?? { servers: `${row.number('topology.edgeServers').toLocaleString('en')} servers`, design: row.text('design.delivery') };
  const value = row.number('mean');
  const metric = row.text('metric');
  if (metric === 'spLoad.requests') point.requests = value;
  if (metric === 'simulatedS') point.simulatedS = value;
  if (metric === 'propagation.within180sFraction') point.within180s = value * 100;
  if (metric === 'propagation.meanS') point.meanS = value;
  byPoint.set(key, point);
}
const points: Point[] = [...byPoint.values()].map((p) => ({
  servers: p.servers as string, design: p.design as string, spRequestsPerS: (p.requests as number) / (p.simulatedS as number),
  within180s: p.within180s as number, meanS: p.meanS as number,
}));

const panel = (field: string, title: string, scale: Record<string, unknown>, base?: number): Record<string, unknown> => ({
  width: 260, height: 200,
  mark: { type: 'bar' },
  encoding: {
    // A log scale has no zero: its bars start at a stated base instead.
    ...(base === undefined ? {} : { y2: { datum: base } }),
    x: { field: 'design', type: 'nominal', title: null, sort: ['cached', 'direct', 'push'], axis: { labelAngle: 0 } },
    xOffset: { field: 'servers', type: 'nominal', sort: ['15,000 servers', '150,000 servers'] },
    y: { field, type: 'quantitative', title, scale },
    color: { field: 'servers', type: 'nominal', title: null, sort: ['15,000 servers', '150,000 servers'], scale: { range: ['#4c78a8', '#f58518'] } },
  },
});

const spec: TopLevelSpec = {
  title: { text: 'Delivery designs: what the Storage Points carry, and what it buys', subtitle: 'study 3, scenarios/studies/delivery.yaml; one seed per bar' },
  data: { values: points },
  hconcat: [
    panel('spRequestsPerS', 'SP requests per second (log)', { type: 'log', domain: [0.5, 50_000] }, 0.5),
    panel('meanS', 'mean propagation (s)', {}),
    panel('within180s', 'delivered within 3 minutes (%)', { domain: [80, 100], clamp: true }),
  ],
} as unknown as TopLevelSpec;

writeFileSync(join(dir, 'delivery-designs.svg'), await renderSvg(spec));
console.log(`wrote ${join(dir, 'delivery-designs.svg')}`);
