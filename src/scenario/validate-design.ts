// design: which front end and which delivery a run simulates (issue 17), and the settings that go with them. A design given a
// setting it does not take is refused: the setting would silently do nothing, and a study would compare
// designs that differ in more than the reader thinks.
import type { Checker } from './checker.js';
import { DEFAULT_DESIGN } from './defaults.js';
import { DESIGN_LIMITS } from './limits.js';
import { DELIVERY_DESIGNS, FRONTEND_DESIGNS, SCENARIO_KEYS } from './schema.js';
import type { RawMap } from './read.js';
import type { DeliverySpec, DesignSpec, FrontendSpec } from './types.js';

type Design = (typeof FRONTEND_DESIGNS)[number];

/** acms keys only the quorum design reads, and what each design does instead (for the message). */
const QUORUM_ONLY_ACMS_KEYS: readonly string[] = ['quorum', 'agreementTimeout', 'mergeInterval', 'maxClockSkew'];
/** single waits for nobody, so it takes no replication timeout either. */
const SINGLE_UNUSED_ACMS_KEYS: readonly string[] = [...QUORUM_ONLY_ACMS_KEYS, 'replicationTimeout'];
const PRIMARY_BACKUP_KEYS: readonly string[] = ['heartbeatInterval', 'heartbeatTimeout'];

const WHY_NOT: Readonly<Record<Design, string>> = {
  quorum: 'the quorum design (ACMS Storage Points) has no primary and sends no heartbeats',
  'primary-backup': 'the primary accepts without a quorum, Vector Exchange, index merging or a clock-skew rule',
  single: 'one SP accepts alone: no quorum, replication, Vector Exchange or merging',
};

export function validateDesign(check: Checker, value: unknown, acms: unknown): DesignSpec {
  const raw = check.map('design', value, SCENARIO_KEYS.design) ?? {};
  const acmsRaw = (typeof acms === 'object' && acms !== null && !Array.isArray(acms) ? acms : {}) as RawMap;
  return { ...validateFrontend(check, raw, acmsRaw), ...validateDelivery(check, raw, acmsRaw) };
}

/**
 * Refuses a setting the chosen design does not take. An acms setting inherited from another file (base.yaml spells
 * out the defaults' settings) does not apply to a design chosen elsewhere; the same setting written beside the choice
 * is a mistake (as workload.kind: trace does), and so is a design setting of another design, wherever written.
 */
function refuser(check: Checker, choicePath: string, choice: string, whyNot: string): (fieldPath: string, given: unknown, inheritedIsFine: boolean) => void {
  const choiceFile = check.fileOf(choicePath);
  return (fieldPath, given, inheritedIsFine) => {
    if (given === undefined || (inheritedIsFine && check.fileOf(fieldPath) !== choiceFile)) return;
    check.fail(fieldPath, given, `no ${fieldPath} with ${choicePath}: ${choice} (${whyNot}); remove it, or choose a design that takes it`);
  };
}

function validateFrontend(check: Checker, raw: RawMap, acmsRaw: RawMap): FrontendSpec {
  const frontend: Design = raw['frontend'] === undefined ? DEFAULT_DESIGN.frontend : check.oneOf('design.frontend', raw['frontend'], FRONTEND_DESIGNS);
  // primary-backup's own settings are never inherited by accident: they are refused wherever written.
  const refuse = refuser(check, 'design.frontend', frontend, WHY_NOT[frontend]);
  if (frontend !== 'quorum') {
    for (const key of frontend === 'single' ? SINGLE_UNUSED_ACMS_KEYS : QUORUM_ONLY_ACMS_KEYS) refuse(`acms.${key}`, acmsRaw[key], true);
  }
  if (frontend !== 'primary-backup') {
    for (const key of PRIMARY_BACKUP_KEYS) refuse(`design.${key}`, raw[key], false);
    return { frontend };
  }
  const heartbeatIntervalUs = raw['heartbeatInterval'] === undefined
    ? DEFAULT_DESIGN.heartbeatIntervalUs
    : check.durationIn('design.heartbeatInterval', raw['heartbeatInterval'], 'positive', DESIGN_LIMITS.heartbeatInterval);
  const heartbeatTimeoutUs = raw['heartbeatTimeout'] === undefined
    ? DEFAULT_DESIGN.heartbeatTimeoutUs
    : check.durationIn('design.heartbeatTimeout', raw['heartbeatTimeout'], 'positive', DESIGN_LIMITS.heartbeatTimeout);
  if (heartbeatTimeoutUs <= heartbeatIntervalUs) {
    const fieldPath = raw['heartbeatTimeout'] === undefined ? 'design.heartbeatInterval' : 'design.heartbeatTimeout';
    check.fail(fieldPath, raw['heartbeatTimeout'] ?? raw['heartbeatInterval'], `a heartbeat time-out longer than the interval (${heartbeatIntervalUs / 1e6} s interval, ${heartbeatTimeoutUs / 1e6} s time-out)`);
  }
  return { frontend, heartbeatIntervalUs, heartbeatTimeoutUs };
}

type Delivery = (typeof DELIVERY_DESIGNS)[number];

/** acms keys a delivery design does not read, written beside the choice (inherited ones are fine), and why. */
const DELIVERY_UNUSED_ACMS_KEYS: Readonly<Record<Delivery, readonly string[]>> = {
  cached: [],
  direct: ['indexTtl'],
  push: ['pollInterval'],
};
const WHY_NOT_DELIVERY: Readonly<Record<Delivery, string>> = {
  cached: 'Receivers poll at acms.pollInterval; only push has a fall-back poll of its own',
  direct: 'Receivers poll the SPs themselves: there is no cache to keep an index for a TTL',
  push: 'Receivers poll at design.pushPollInterval, as the fall-back to notifications',
};

function validateDelivery(check: Checker, raw: RawMap, acmsRaw: RawMap): DeliverySpec {
  const delivery: Delivery = raw['delivery'] === undefined ? DEFAULT_DESIGN.delivery : check.oneOf('design.delivery', raw['delivery'], DELIVERY_DESIGNS);
  const refuse = refuser(check, 'design.delivery', delivery, WHY_NOT_DELIVERY[delivery]);
  for (const key of DELIVERY_UNUSED_ACMS_KEYS[delivery]) refuse(`acms.${key}`, acmsRaw[key], true);
  if (delivery !== 'push') {
    refuse('design.pushPollInterval', raw['pushPollInterval'], false);
    return { delivery };
  }
  const pushPollIntervalUs = raw['pushPollInterval'] === undefined
    ? DEFAULT_DESIGN.pushPollIntervalUs
    : check.durationIn('design.pushPollInterval', raw['pushPollInterval'], 'positive', DESIGN_LIMITS.pushPollInterval);
  return { delivery, pushPollIntervalUs };
}
