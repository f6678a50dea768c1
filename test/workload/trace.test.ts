import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.js';
import { WorkloadError, buildWorkload, mapPublisherCountries, parseTrace, readTraceFile } from '../../src/workload/index.js';
import { loadScenario, workloadOptionsOf } from '../../src/scenario/index.js';

const HEADER = 'timeS,file,sizeBytes,publisher';

function errorOf(text: string, options = {}): WorkloadError {
  try {
    parseTrace(text, 'traces/t.csv', options);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkloadError);
    return error as WorkloadError;
  }
  throw new Error('expected a WorkloadError');
}

describe('trace workload', () => {
  it('reads rows, sorts them by time, and numbers files by first appearance', () => {
    const text = [
      HEADER,
      '30,b.xml,2048,1',
      '0.5,a.xml,100,0',
      '30,a.xml,120,2',
      '7200.000001,"c,d.xml",5000000,US',
      '',
    ].join('\r\n');
    expect(parseTrace(text, 't.csv', { publishers: 3 })).toEqual([
      { timeUs: 500_000, fileId: 0, fileName: 'a.xml', sizeBytes: 100, publisher: 0 },
      { timeUs: 30_000_000, fileId: 1, fileName: 'b.xml', sizeBytes: 2048, publisher: 1 },
      { timeUs: 30_000_000, fileId: 0, fileName: 'a.xml', sizeBytes: 120, publisher: 2 },
      { timeUs: 7_200_000_001, fileId: 2, fileName: 'c,d.xml', sizeBytes: 5_000_000, publisher: -1, publisherCountry: 'US' },
    ]);
  });

  it('accepts the columns in any order and an empty trace', () => {
    expect(parseTrace('publisher,sizeBytes,file,timeS\n0,10,x,1\n', 't.csv')).toEqual([
      { timeUs: 1_000_000, fileId: 0, fileName: 'x', sizeBytes: 10, publisher: 0 },
    ]);
    expect(parseTrace(`${HEADER}\n`, 't.csv')).toEqual([]);
  });

  it('maps country-coded publishers through the integrator\'s lookup', () => {
    const submissions = parseTrace(`${HEADER}\n1,a,10,MY\n2,a,10,3\n`, 't.csv');
    const mapped = mapPublisherCountries(submissions, (code) => (code === 'MY' ? 5 : -1));
    expect(mapped.map((s) => s.publisher)).toEqual([5, 3]);
  });

  it('names file, line and column of a bad value', () => {
    expect(errorOf(`${HEADER}\n1,a,10,0\n2,b,ten,0\n`).message)
      .toBe('traces/t.csv:3:5: sizeBytes: got "ten", expected a whole number of bytes, 0 or more');
    expect(errorOf(`${HEADER}\n-1,a,10,0\n`).message).toMatch(/^traces\/t\.csv:2:1: timeS: got "-1", expected a time in seconds/);
    expect(errorOf(`${HEADER}\n1, ,10,0\n`).message).toMatch(/^traces\/t\.csv:2:4: file: got "", expected a non-empty file name/);
    expect(errorOf(`${HEADER}\n1,a,10,8\n`, { publishers: 8 }).message)
      .toMatch(/^traces\/t\.csv:2:8: publisher: got "8", expected a publisher index \(an integer from 0 to 7\) or a two-letter country code/);
    expect(errorOf(`${HEADER}\n1,a,10,usa\n`).message).toMatch(/publisher: got "usa"/);
    expect(errorOf(`${HEADER}\n1,a,10,US\n2,a,10,ZZ\n`, { countryCodes: ['US', 'MY'] }).message)
      .toBe('traces/t.csv:3:8: publisher: got "ZZ", expected a publisher index or one of the topology\'s 2 countries (US, MY)');
    expect(errorOf(`${HEADER}\n200000,a,10,0\n`, { durationUs: 172_800_000_000 }).message)
      .toMatch(/^traces\/t\.csv:2:1: timeS: got "200000", expected a time before the end of the run \(172800 s\)/);
  });

  it('names the line of a row with the wrong number of fields, and bad headers', () => {
    expect(errorOf(`${HEADER}\n1,a,10,0\n\n2,b,10\n`).message).toBe('traces/t.csv:4: got 3 fields, expected 4 fields (timeS,file,sizeBytes,publisher)');
    expect(errorOf('time,file,sizeBytes,publisher\n').message).toMatch(/^traces\/t\.csv:1:1: header: got column "time", expected a header row with the columns timeS,file,sizeBytes,publisher/);
    expect(errorOf('timeS,file,sizeBytes\n').message).toMatch(/^traces\/t\.csv:1: header: got no column "publisher"/);
    expect(errorOf('').message).toMatch(/^traces\/t\.csv:1: got an empty file, expected a header row/);
    expect(errorOf(`${HEADER}\n1,"a,10,0\n`).message).toMatch(/^traces\/t\.csv:2:3: got malformed CSV, expected a closing quote/);
  });

  it('reads from a file, and a scenario builds its workload from it', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'acmsim-trace-'));
    onTestFinished(() => fs.rmSync(folder, { recursive: true, force: true }));
    fs.writeFileSync(path.join(folder, 't.csv'), `${HEADER}\n5,a,10,1\n1,b,20,0\n`);
    fs.writeFileSync(path.join(folder, 's.yaml'), 'duration: 1h\nworkload: { kind: trace, file: t.csv }\n');
    expect(readTraceFile(path.join(folder, 't.csv')).map((s) => s.fileName)).toEqual(['b', 'a']);
    const scenario = loadScenario(path.join(folder, 's.yaml'));
    const workload = buildWorkload(workloadOptionsOf(scenario), new RandomStreams(1).stream('workload'));
    expect(workload.map((s) => s.timeUs)).toEqual([1_000_000, 5_000_000]);
    expect(() => readTraceFile(path.join(folder, 'missing.csv'))).toThrow(/missing\.csv: expected an existing, readable CSV trace \(ENOENT\)/);
  });

  it('builds the paper-48h workload from a scenario', () => {
    const scenario = loadScenario(path.resolve(import.meta.dirname, '../../scenarios/base.yaml'), ['workload.submissions=100', 'duration=2h']);
    const workload = buildWorkload(workloadOptionsOf(scenario), new RandomStreams(scenario.seed).stream('workload'));
    expect(workload).toHaveLength(100);
    expect(workload.every((s) => s.timeUs < 2 * 3_600_000_000 && s.publisher < 8)).toBe(true);
  });
});
