// The reports as a person sees them: Debian's chromium (driven by playwright-core, which downloads no
// browser) opens a run's report.html and a sweep's, and we check that every chart rendered with marks,
// that the console stayed clean and that nothing but the file itself was fetched. Screenshots go to
// test-artifacts/ for a human (and CI) to look at. Without chromium the test is skipped with a loud
// message on a workstation, but fails in CI (CI=true), where .ci/run installs it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureBuilt, fixture, runCli } from '../cli/cli-helpers.js';

const CHROMIUM = process.env['ACMSIM_CHROMIUM'] ?? '/usr/bin/chromium';
const IN_CI = process.env['CI'] === 'true';
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
const haveChromium = fs.existsSync(CHROMIUM);

if (!haveChromium && !IN_CI) {
  process.stderr.write(
    `\n${'!'.repeat(78)}\n!! BROWSER TEST SKIPPED: no chromium at ${CHROMIUM}.\n` +
    '!! Install it (apt-get install -y chromium) or set ACMSIM_CHROMIUM; in CI (CI=true) this is a failure.\n' +
    `${'!'.repeat(78)}\n\n`,
  );
}

interface PageCheck {
  readonly charts: Array<{ id: string; widthPx: number; heightPx: number; marks: number; texts: number }>;
  readonly consoleErrors: string[];
  readonly requests: string[];
}

describe.skipIf(!haveChromium && !IN_CI)('reports in a real browser', () => {
  let browser: Browser;
  let work = '';

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true but there is no chromium at ${CHROMIUM}: .ci/run installs it with apt-get`);
    ensureBuilt();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-browser-'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Headless as root needs --no-sandbox; the rest keeps chromium from calling home during the test.
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (work !== '') fs.rmSync(work, { recursive: true, force: true });
  });

  async function open(htmlPath: string, screenshot: string): Promise<PageCheck> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url.startsWith('file://')) await route.continue();
      else await route.abort();
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const charts = await page.$$eval('figure.chart', (figures) => figures.map((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: figure.id,
        widthPx: box?.width ?? 0,
        heightPx: box?.height ?? 0,
        // vega draws each mark inside a group whose class names its type (mark-line, mark-rect, ...).
        marks: svg?.querySelectorAll('g[class^="mark-"]:not(.mark-group) > path, g[class^="mark-"]:not(.mark-group) > line, g[class^="mark-"]:not(.mark-group) > rect').length ?? 0,
        texts: svg?.querySelectorAll('text').length ?? 0,
      };
    }));
    await page.screenshot({ path: path.join(ARTIFACTS, screenshot), fullPage: true });
    await context.close();
    return { charts, consoleErrors, requests };
  }

  it('renders every chart of a run\u2019s report, quietly, fetching nothing', async () => {
    const out = path.join(work, 'run');
    const result = runCli(['run', fixture('small.yaml'), '--out', out, '--quiet']);
    expect(result.status, result.stderr).toBe(0);
    const check = await open(path.join(out, 'report.html'), 'report-run.png');
    expect(check.charts.map((chart) => chart.id)).toEqual(['propagation-cdf', 'propagation-by-size', 'propagation-over-time', 'acceptance-cdf', 'sp-load']);
    for (const chart of check.charts) {
      expect(chart.widthPx, chart.id).toBeGreaterThan(300);
      expect(chart.heightPx, chart.id).toBeGreaterThan(150);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.texts, chart.id).toBeGreaterThan(5);
    }
    expect(check.consoleErrors).toEqual([]);
    expect(check.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  }, 120_000);

  it('renders every chart of a sweep\u2019s report', async () => {
    const dir = path.join(work, 'sweep');
    fs.cpSync(path.join(REPO_ROOT, 'test', 'report', 'fixtures', 'sweep'), dir, { recursive: true });
    const result = runCli(['report', dir, '--quiet']);
    expect(result.status, result.stderr).toBe(0);
    const check = await open(path.join(dir, 'report.html'), 'report-sweep.png');
    expect(check.charts).toHaveLength(4);
    for (const chart of check.charts) {
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.widthPx, chart.id).toBeGreaterThan(300);
    }
    expect(check.consoleErrors).toEqual([]);
    expect(check.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  }, 120_000);
});
