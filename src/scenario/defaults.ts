// Default value of every scenario key, each with its source: the ACMS paper (Sherman et al.,
// NSDI 2005, and its slides in shared/seeds/001), the issue that defines the format, or a stated assumption.
// scenarios/base.yaml spells the same values out; a test keeps the two equal.

const SECOND_US = 1_000_000;
const MINUTE_US = 60 * SECOND_US;
const HOUR_US = 60 * MINUTE_US;

/** The paper's evaluation ran "48 hours in the middle of a week". */
export const DEFAULT_DURATION_US = 48 * HOUR_US;

/** One seed drives every random stream; 1 is the example. */
export const DEFAULT_SEED = 1;

export const DEFAULT_TOPOLOGY = {
  /** Paper: "15,000 servers distributed across 1,200 ISPs in 60 countries". */
  countries: 60,
  isps: 1200,
  edgeServers: 15000,
  /** Paper's evaluation: "14,276 file submissions with five SPs". */
  storagePoints: 5,
  /** Assumption: a few parent (tier-2) cache sites per continent, enough that losing one is survivable. */
  parentSitesPerContinent: 3,
  /** Assumption: submissions "may originate from anywhere"; 8 publishing locations spread the entry points. */
  publishers: 8,
} as const;

export const DEFAULT_ACMS = {
  /**
   * Issue 6 default. The paper reports a 55 s mean propagation "dominated by cache TTL and polling
   * intervals"; 30 s polls plus a 30 s index TTL give about 30 s of expected wait, the rest being
   * acceptance, fetching and the two cache tiers.
   */
  pollIntervalUs: 30 * SECOND_US,
  /** Assumption: ±10% uniform jitter keeps 15,000 pollers from synchronising. */
  pollJitterFraction: 0.1,
  /** Issue 6 default, the same at both cache tiers unless given per tier. */
  indexTtlUs: { edgeUs: 30 * SECOND_US, parentUs: 30 * SECOND_US },
  /** Issue 6 default: how often an SP's recovery routine merges snapshots with its peers. */
  mergeIntervalUs: 10 * SECOND_US,
  /**
   * Assumption: small files reach a majority in well under a second, but a 100 MB file (the paper's largest
   * class) over single TCP flows limited by loss on long paths (~0.3-2 MB/s) needs one to four minutes.
   */
  replicationTimeoutUs: 300 * SECOND_US,
  /** Assumption: a Vector Exchange round is a few SP-to-SP messages; 10 s as for replication. */
  agreementTimeoutUs: 10 * SECOND_US,
  /** Assumption: an HTTP request of a cache or receiver gives up after 5 s (several wide-area round trips). */
  requestTimeoutUs: 5 * SECOND_US,
  /** Assumption: a cache avoids an SP that failed it for one minute, two poll intervals. */
  spBackoffUs: 60 * SECOND_US,
  /** Assumption: clocks kept by NTP within seconds; larger skews are what the clock-skew fault injects. */
  maxClockSkewUs: 5 * SECOND_US,
  /** Assumption: the index tree splits into 64 sub-indexes so that one change refetches a small part. */
  subIndexCount: 64,
} as const;

/** Paper: the accepting SP replicates to "a majority of SPs" and agreement needs a majority of bits. */
export function defaultQuorum(storagePoints: number): number {
  return Math.floor(storagePoints / 2) + 1;
}

/**
 * design: the paper's front end (quorum) unless a what-if design is chosen. primary-backup's timers are
 * assumptions, explained in src/acms/frontends/primary-backup-params.ts.
 */
/** base.yaml gives the reason: HTTP caches forward a body while it arrives (Squid, Traffic Server). */
export const DEFAULT_CACHE_FORWARDING = 'cut-through';

export const DEFAULT_DESIGN = {
  frontend: 'quorum',
  heartbeatIntervalUs: 1 * SECOND_US,
  heartbeatTimeoutUs: 5 * SECOND_US,
  delivery: 'cached',
  /**
   * push's fall-back poll (an assumption): ten times the pull design's 30 s, so fall-back polling costs the caches a
   * tenth of pull's load while a lost notification still heals within five minutes.
   */
  pushPollIntervalUs: 300 * SECOND_US,
} as const;

export const DEFAULT_WORKLOAD = {
  kind: 'paper-48h',
  /** Paper: "14,276 file submissions" in the 48-hour evaluation. */
  submissions: 14276,
  /** Assumption: about 2,000 distinct configuration files (customer profiles and internal services). */
  files: 2000,
} as const;

export const DEFAULT_METRICS = {
  /** Paper: "randomly sampled 250 edge servers to measure propagation time". */
  sampleReceivers: 250,
  /** Fingerprints are compared only when a CI scenario asks for it. */
  fingerprint: false,
} as const;

export const DEFAULT_FAULT_PARAMETERS = {
  /** sp-crash: by default the SP restarts with its disk, as after a power cycle. */
  diskLost: false,
  /** partition: cut both ways unless told otherwise. */
  direction: 'both',
  /**
   * mtu-blackhole: assumption, a tunnelled path (IPsec/GRE) of about 1,400 bytes whose ICMP
   * "fragmentation needed" replies are filtered, so larger packets vanish (the war stories' "mysterious MTU").
   */
  mtuBytes: 1400,
  /** clock-skew: unset parts of a skew are zero; at least one of offset and driftPpm must be given. */
  offsetUs: 0,
  driftPpm: 0,
  /** renumber: both the targeted SPs and parent sites move. */
  renumbered: 'both',
  /** renumber: assumption, an hour, a common TTL for infrastructure names (it must exceed BIND 4.8's 15 minutes). */
  dnsTtlUs: 60 * 60 * 1_000_000,
  /** renumber: a move to a fresh block, the case seed 000's BIND 4.8 story is about. */
  addressesOverlap: false,
  /** renumber: a hard cut-over; set it to the TTL or more for make-before-break. */
  oldAddressesAnswerForUs: 0,
  /** renumber: every resolver correct unless told otherwise. */
  bind48Share: 0,
} as const;
