// design.frontend and design.delivery (issue 17): the choice of front end and of delivery, their own settings, and
// the settings they refuse.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../src/scenario/index.js';
import { scenarioRecord } from '../../src/run/scenario-record.js';
import { scenarioFolder, thrownBy } from './helpers.js';

const BASE = path.resolve(import.meta.dirname, '../../scenarios/base.yaml');

function load(text: string, overrides: readonly string[] = []): ReturnType<typeof loadScenario> {
  const folder = scenarioFolder({ 'x.yaml': `extends: ${JSON.stringify(BASE)}\n${text}` });
  return loadScenario(path.join(folder, 'x.yaml'), overrides);
}

function errorOf(text: string, overrides: readonly string[] = []): Error {
  const error = thrownBy(() => load(text, overrides));
  expect(error).toBeInstanceOf(ScenarioError);
  return error;
}

describe('design.frontend', () => {
  it('defaults to quorum, which scenario.json leaves out (quorum runs keep their bytes)', () => {
    const scenario = load('');
    expect(scenario.design).toEqual({ frontend: 'quorum', delivery: 'cached' });
    expect(scenarioRecord(scenario)).not.toHaveProperty('design');
  });

  it('takes primary-backup with its heartbeat settings, in microseconds, and records them', () => {
    const scenario = load('design: { frontend: primary-backup, heartbeatInterval: 500ms, heartbeatTimeout: 3s }');
    expect(scenario.design).toEqual({ frontend: 'primary-backup', heartbeatIntervalUs: 500_000, heartbeatTimeoutUs: 3_000_000, delivery: 'cached' });
    expect(scenarioRecord(scenario)['design']).toEqual({ frontend: 'primary-backup', heartbeatIntervalS: 0.5, heartbeatTimeoutS: 3, delivery: 'cached' });
    expect(load('', ['design.frontend=single']).design).toEqual({ frontend: 'single', delivery: 'cached' });
  });

  it('refuses an unknown design, naming the file, the field, the value and the choices, with a suggestion', () => {
    const message = errorOf('design: { frontend: primary-bakup }').message;
    expect(message).toMatch(/x\.yaml: design\.frontend: got "primary-bakup", expected one of: quorum, primary-backup, single \(did you mean `primary-backup`\?\)/);
    expect(errorOf('design: { frontned: single }').message).toMatch(/design\.frontned: got an unknown key, expected a known key \(did you mean `frontend`\?\)/);
  });

  it('refuses a quorum-only setting written beside another design', () => {
    expect(errorOf('design: { frontend: single }\nacms: { quorum: 2 }').message)
      .toMatch(/x\.yaml: acms\.quorum: got 2, expected no acms\.quorum with design\.frontend: single \(.*\); remove it/);
    expect(errorOf('design: { frontend: primary-backup }\nacms: { agreementTimeout: 20s }').message).toMatch(/acms\.agreementTimeout: got "20s", expected no acms\.agreementTimeout with design\.frontend: primary-backup/);
    expect(errorOf('design: { frontend: single }\nacms: { replicationTimeout: 20s }').message).toMatch(/acms\.replicationTimeout: .* design\.frontend: single/);
    // primary-backup waits for its backups, so it takes a replication timeout.
    expect(load('design: { frontend: primary-backup }\nacms: { replicationTimeout: 20s }').acms.replicationTimeoutUs).toBe(20_000_000);
  });

  it('lets a design chosen here ignore the quorum settings base.yaml spells out for everyone', () => {
    // base.yaml sets mergeInterval, agreementTimeout and maxClockSkew; a child choosing single is not at fault.
    expect(load('design: { frontend: single }').design.frontend).toBe('single');
  });

  it('refuses primary-backup settings with any other design, and a time-out not above the interval', () => {
    expect(errorOf('design: { heartbeatTimeout: 3s }').message).toMatch(/design\.heartbeatTimeout: got "3s", expected no design\.heartbeatTimeout with design\.frontend: quorum/);
    expect(errorOf('design: { frontend: single, heartbeatInterval: 1s }').message).toMatch(/design\.heartbeatInterval: .* design\.frontend: single/);
    expect(errorOf('design: { frontend: primary-backup, heartbeatInterval: 5s }').message).toMatch(/design\.heartbeatInterval: got "5s", expected a heartbeat time-out longer than the interval/);
  });
});

describe('design.delivery', () => {
  it('defaults to cached (ACMS), takes direct, and push with its fall-back poll interval (default 300 s)', () => {
    expect(load('').design.delivery).toBe('cached');
    const direct = load('design: { delivery: direct }');
    expect(direct.design).toEqual({ frontend: 'quorum', delivery: 'direct' });
    expect(scenarioRecord(direct)['design']).toEqual({ frontend: 'quorum', delivery: 'direct' });
    expect(load('design: { delivery: push }').design).toEqual({ frontend: 'quorum', delivery: 'push', pushPollIntervalUs: 300_000_000 });
    expect(load('design: { delivery: push, pushPollInterval: 2m }').design).toMatchObject({ pushPollIntervalUs: 120_000_000 });
    expect(load('', ['design.delivery=push', 'design.frontend=single']).design).toMatchObject({ frontend: 'single', delivery: 'push' });
  });

  it('refuses an unknown delivery design with the choices and a suggestion', () => {
    expect(errorOf('design: { delivery: pushed }').message).toMatch(/x\.yaml: design\.delivery: got "pushed", expected one of: cached, direct, push \(did you mean `push`\?\)/);
  });

  it('refuses a setting the delivery design does not take, written beside it', () => {
    expect(errorOf('design: { pushPollInterval: 5m }').message).toMatch(/design\.pushPollInterval: got "5m", expected no design\.pushPollInterval with design\.delivery: cached/);
    expect(errorOf('design: { delivery: direct, pushPollInterval: 5m }').message).toMatch(/design\.pushPollInterval: .* design\.delivery: direct/);
    expect(errorOf('design: { delivery: direct }\nacms: { indexTtl: 10s }').message).toMatch(/acms\.indexTtl: got "10s", expected no acms\.indexTtl with design\.delivery: direct \(Receivers poll the SPs themselves/);
    expect(errorOf('design: { delivery: push }\nacms: { pollInterval: 10s }').message).toMatch(/acms\.pollInterval: .* design\.delivery: push \(Receivers poll at design\.pushPollInterval/);
    // base.yaml's pollInterval and indexTtl are inherited, not written beside the choice: no error.
    expect(load('design: { delivery: direct }').design.delivery).toBe('direct');
    expect(errorOf('design: { delivery: push, pushPollInterval: 0s }').message).toMatch(/design\.pushPollInterval/);
  });
});
