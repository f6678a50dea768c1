// JUnit XML for CI systems: one <testsuite> per scenario, one <testcase> per check row, a <failure>
// for a check that did not hold and an <error> for a scenario that could not run.
import { mkdirSync } from 'node:fs';
import { writeAtomically } from './atomic-file.js';
import { checkFileTarget } from './targets.js';
import { dirname, resolve } from 'node:path';
import type { ScenarioOutcome } from './check.js';

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '&') out += '&amp;';
    else if (char === '<') out += '&lt;';
    else if (char === '>') out += '&gt;';
    else if (char === '"') out += '&quot;';
    else if (char === "'") out += '&apos;';
    else if (code === 0x9 || code === 0xa || code === 0xd) out += char;
    else if (code < 0x20 || code === 0xfffe || code === 0xffff || (code >= 0xd800 && code <= 0xdfff)) continue;
    else out += char;
  }
  return out;
}

function seconds(value: number): string {
  return value.toFixed(3);
}

export function junitXml(outcomes: readonly ScenarioOutcome[]): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let totalS = 0;
  const suites: string[] = [];
  for (const outcome of outcomes) {
    const suiteFailures = outcome.rows.filter((row) => !row.pass).length;
    const suiteErrors = outcome.error === undefined ? 0 : 1;
    const suiteTests = outcome.rows.length + suiteErrors;
    tests += suiteTests;
    failures += suiteFailures;
    errors += suiteErrors;
    totalS += outcome.wallS;
    const name = escapeXml(outcome.name);
    const lines = [
      `  <testsuite name="${name}" tests="${suiteTests}" failures="${suiteFailures}" errors="${suiteErrors}" ` +
      `time="${seconds(outcome.wallS)}" file="${escapeXml(outcome.path)}">`,
    ];
    for (const row of outcome.rows) {
      const caseName = escapeXml(`${row.source === 'baseline' ? 'baseline ' : ''}${row.metric} ${row.expected}`);
      const open = `    <testcase classname="${name}" name="${caseName}" time="0"`;
      if (row.pass) {
        lines.push(`${open}/>`);
      } else {
        lines.push(`${open}>`);
        lines.push(`      <failure message="${escapeXml(row.message)}" type="${row.source}">${escapeXml(`actual ${row.actual}, expected ${row.expected}`)}</failure>`);
        lines.push('    </testcase>');
      }
    }
    if (outcome.error !== undefined) {
      lines.push(`    <testcase classname="${name}" name="run" time="${seconds(outcome.wallS)}">`);
      lines.push(`      <error message="${escapeXml(firstLine(outcome.error))}" type="run">${escapeXml(outcome.error)}</error>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
    suites.push(lines.join('\n'));
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="acmsim check" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(totalS)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

/**
 * A JUnit file written atomically: `reserve` runs before any scenario does and checks, without writing
 * anything, that the path can take a file; `commit` writes a temporary file and renames it into place
 * (removing the temporary file if either step fails), so no exit path leaves `<file>.tmp-<pid>` behind.
 */
export class JunitFile {
  readonly finalPath: string;

  constructor(path: string) {
    this.finalPath = resolve(path);
  }

  /** Throws an Error saying why the path cannot take the XML file. */
  reserve(): void {
    checkFileTarget(this.finalPath);
  }

  commit(xml: string): void {
    mkdirSync(dirname(this.finalPath), { recursive: true });
    writeAtomically(this.finalPath, xml);
  }
}
