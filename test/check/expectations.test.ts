// Unit tests of the check module's pure parts: metric paths, expectations, baselines, JUnit XML.
import { describe, expect, it } from 'vitest';
import { lookupMetric } from '../../src/run/metric-path.js';
import { evaluateExpectations } from '../../src/check/expectations.js';
import { baselineText, compareWithBaseline } from '../../src/check/baseline.js';
import { escapeXml, junitXml } from '../../src/check/junit.js';
import { formatFailures, formatTable } from '../../src/check/table.js';
import { compareWithReference, formatReferenceTable } from '../../src/run/reference.js';
import type { ScenarioOutcome } from '../../src/check/check.js';
import { parseXml } from './xml.js';

const summary = {
  scenario: 's',
  propagation: { meanS: 37.5, p99S: 75.1, deliveries: 1000 },
  bySize: { '<1 KB': { p95S: 60 }, '10-100 MB': { p95S: 120 }, '1.5 MB': { p95S: 7 } },
  invariants: { violations: 0, byInvariant: { '1': 0, '2': 3 }, firstViolations: [] as string[] },
  fingerprint: 'c8adca48',
  wallS: 1.25,
};

describe('lookupMetric', () => {
  it('resolves dotted paths, by-size labels with spaces, and keys that contain a dot (longest key first)', () => {
    expect(lookupMetric(summary, 'propagation.p99S')).toEqual({ found: true, value: 75.1 });
    expect(lookupMetric(summary, 'bySize.10-100 MB.p95S')).toEqual({ found: true, value: 120 });
    expect(lookupMetric(summary, 'bySize.1.5 MB.p95S')).toEqual({ found: true, value: 7 });
    expect(lookupMetric(summary, 'invariants.byInvariant.2')).toEqual({ found: true, value: 3 });
  });

  it('reports an unknown path with a suggestion, or with what exists where it stopped', () => {
    const typo = lookupMetric(summary, 'propagation.p99');
    expect(typo.found).toBe(false);
    if (!typo.found) expect(typo.message).toBe('no metric "propagation.p99" in the run summary; did you mean "propagation.p99S"?');
    const far = lookupMetric(summary, 'propagation.somethingElseEntirely');
    if (far.found) throw new Error('should not resolve');
    expect(far.message).toContain('known under "propagation": meanS, p99S, deliveries');
    // A path that goes on below a number does not resolve.
    expect(lookupMetric(summary, 'propagation.p99S.x').found).toBe(false);
  });
});

describe('evaluateExpectations', () => {
  it('checks min, max and equals, and fails a missing metric', () => {
    const rows = evaluateExpectations('s', summary, [
      { metric: 'propagation.p99S', max: 180 },
      { metric: 'propagation.meanS', min: 40, max: 60 },
      { metric: 'invariants.violations', equals: 0 },
      { metric: 'fingerprint', equals: 'c8adca48' },
      { metric: 'invariants.byInvariant.2', equals: 0 },
      { metric: 'propagation.p9995S', max: 180 },
      { metric: 'fingerprint', max: 1 },
    ]);
    expect(rows.map((row) => row.pass)).toEqual([true, false, true, true, false, false, false]);
    expect(rows[1]?.expected).toBe('>= 40, <= 60');
    expect(rows[1]?.message).toBe('propagation.meanS = 37.5, expected >= 40, <= 60 (below the minimum)');
    expect(rows[4]?.message).toBe('invariants.byInvariant.2 = 3, expected = 0');
    expect(rows[5]?.actual).toBe('(missing)');
    expect(rows[6]?.message).toContain('expected a number');
  });
});

describe('baselines', () => {
  it('store the summary without wallS, with sorted keys', () => {
    const text = baselineText(summary);
    expect(text).not.toContain('wallS');
    expect(text.indexOf('"bySize"')).toBeLessThan(text.indexOf('"propagation"'));
    expect(text.endsWith('\n')).toBe(true);
  });

  it('compare each expected numeric metric within its relative tolerance, and the fingerprint exactly', () => {
    const baseline = JSON.parse(baselineText(summary)) as unknown;
    const moved = { ...summary, propagation: { ...summary.propagation, meanS: 39, p99S: 77 }, fingerprint: 'deadbeef' };
    const rows = compareWithBaseline('s', moved, baseline, [
      { metric: 'propagation.meanS', max: 60 }, // no tolerance: exact
      { metric: 'propagation.p99S', max: 180, tolerance: 0.05 }, // 77 vs 75.1 is within 5%
      { metric: 'propagation.p99S', min: 1 }, // same metric: compared once
      { metric: 'fingerprint', equals: 'c8adca48' }, // not a number: not compared as a metric
    ], true);
    expect(rows.map((row) => [row.metric, row.pass])).toEqual([['propagation.meanS', false], ['propagation.p99S', true], ['fingerprint', false]]);
    expect(rows[0]?.message).toBe('propagation.meanS = 39, baseline 37.5 (exact)');
    expect(rows[1]?.expected).toBe('baseline 75.1 ±5%');
    expect(rows[2]?.message).toContain('fingerprint = deadbeef, baseline c8adca48');
    expect(compareWithBaseline('s', summary, baseline, [{ metric: 'propagation.meanS', max: 60 }], true).every((row) => row.pass)).toBe(true);
  });
});

describe('JUnit XML and the table', () => {
  const outcomes: ScenarioOutcome[] = [
    {
      name: 'a<&>"\'', path: 'x.yaml', wallS: 1.5,
      rows: evaluateExpectations('a<&>"\'', summary, [{ metric: 'propagation.p99S', max: 10 }, { metric: 'bySize.<1 KB.p95S', max: 100 }]),
    },
    { name: 'b', path: 'y.yaml', wallS: 0.5, rows: [], error: 'Error: boom\n    at somewhere' },
  ];

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml('<a href="x">&\'\u0001\t')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\t');
  });

  it('is well-formed, with a testsuite per scenario and a testcase per check', () => {
    const root = parseXml(junitXml(outcomes));
    expect(root.name).toBe('testsuites');
    expect(root.attributes['tests']).toBe('3');
    expect(root.attributes['failures']).toBe('1');
    expect(root.attributes['errors']).toBe('1');
    const suites = root.children;
    expect(suites.map((suite) => suite.attributes['name'])).toEqual(['a<&>"\'', 'b']);
    const cases = suites[0]?.children ?? [];
    expect(cases.map((c) => c.attributes['name'])).toEqual(['propagation.p99S <= 10', 'bySize.<1 KB.p95S <= 100']);
    expect(cases[0]?.children[0]?.name).toBe('failure');
    expect(cases[0]?.children[0]?.attributes['message']).toBe('propagation.p99S = 75.1, expected <= 10 (above the maximum)');
    expect(suites[1]?.children[0]?.children[0]?.name).toBe('error');
  });

  it('prints aligned rows and one FAIL line per failure', () => {
    const table = formatTable(outcomes).split('\n');
    expect(table[0]).toMatch(/^scenario\s+metric\s+expected\s+actual\s+result$/);
    expect(table[2]).toMatch(/propagation\.p99S\s+<= 10\s+75\.1\s+FAIL$/);
    expect(formatFailures(outcomes)).toBe(
      'FAIL a<&>"\': propagation.p99S = 75.1, expected <= 10 (above the maximum)\n' +
      'FAIL b: the run stopped with an error: Error: boom\n    at somewhere\n',
    );
  });
});

describe('compareWithReference', () => {
  it('gives each published figure the run\'s value and the relative difference, and says why one is missing', () => {
    const comparison = compareWithReference(summary, {
      source: 'the paper',
      values: [
        { metric: 'propagation.meanS', value: 50 },
        { metric: 'bySize.10-100 MB.p95S', value: 150 },
        { metric: 'fingerprint', value: 1 },
        { metric: 'propagation.mean', value: 55 },
        { metric: 'invariants.byInvariant.1', value: 0 },
      ],
    });
    expect(comparison.rows.map((row) => [row.simulated, row.relativeDifference])).toEqual([
      [37.5, -0.25], [120, -0.2], [null, null], [null, null], [0, null],
    ]);
    expect(comparison.rows[2]?.note).toBe('"fingerprint" is not a number in this run');
    expect(comparison.rows[3]?.note).toMatch(/did you mean "propagation\.meanS"/);
    const text = formatReferenceTable(comparison);
    expect(text.split('\n').slice(0, 4)).toEqual([
      'beside the paper:',
      '  metric                    reference  this run  difference',
      '  propagation.meanS         50         37.5      -25.0%',
      '  bySize.10-100 MB.p95S     150        120       -20.0%',
    ]);
  });
});
