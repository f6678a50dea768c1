// A renumbering of Storage Points or parent sites seen through one resolver with a TTL: when the resolver
// stops reaching the renumbered names, and when it reaches them again. A pure rule; faults.ts schedules it.
//
// Seed 000 (Akamai war stories, "BIND Miseries"): BIND 4.8 makes a "refresh attempt when 15 minutes left",
// succeeds "if new list of IPs overlaps with old list of IPs", and "otherwise, refuse[s] to resolve for next
// 15 minutes".

const MINUTE_US = 60_000_000;

/** BIND 4.8 refreshes a cached address record when this much of its TTL remains (seed 000). */
export const BIND48_REFRESH_LEFT_US = 15 * MINUTE_US;
/** BIND 4.8 refuses to resolve the name for this long after a refresh whose list does not overlap the old (seed 000). */
export const BIND48_REFUSAL_US = 15 * MINUTE_US;

/** The renumbering as the name's owner does it. */
export interface Renumbering {
  /** When the authoritative record switches to the new address list. */
  readonly atUs: number;
  /** TTL of the address record; above BIND48_REFRESH_LEFT_US, or BIND 4.8's refresh point would not exist. */
  readonly dnsTtlUs: number;
  /** Does the new address list share an address with the old one? */
  readonly addressesOverlap: boolean;
  /** How long after atUs the old addresses keep answering (0: a hard cut-over; a TTL or more: make-before-break). */
  readonly oldAddressesAnswerForUs: number;
}

/** One resolver: its implementation, and where in its refresh cycle it stood when the record changed. */
export interface Resolver {
  readonly bind48: boolean;
  /** Uniform in [0, 1): the share of a refresh cycle left when the record changed. */
  readonly phase: number;
}

/** A span during which the resolver's requests to the renumbered names fail at once. */
export interface FailureWindow {
  readonly startUs: number;
  readonly endUs: number;
  /** 'stale': it still uses an old address that no longer answers; 'refused': BIND 4.8 refuses to resolve (perhaps after being stale). */
  readonly cause: 'stale' | 'refused';
}

/**
 * The one span (or none) during which this resolver cannot reach the renumbered names.
 *
 * A correct resolver refetches the record when it expires, every dnsTtl; its next refetch after the change is
 * phase x dnsTtl later, and from then it uses the new list. A BIND 4.8 resolver refetches when 15 minutes remain,
 * so (each successful refresh bringing a fresh TTL) every dnsTtl - 15 min; its next refresh after the change is
 * phase x (dnsTtl - 15 min) later. With overlapping lists that refresh succeeds and it switches; without, it
 * refuses to resolve for 15 minutes and fetches the new list after. Until a resolver switches it uses the old
 * addresses, which answer for oldAddressesAnswerFor after the change and then not at all.
 */
export function failureWindow(renumbering: Renumbering, resolver: Resolver): FailureWindow | null {
  if (!(renumbering.dnsTtlUs > BIND48_REFRESH_LEFT_US)) throw new RangeError(`dnsTtlUs must exceed ${BIND48_REFRESH_LEFT_US}, got ${renumbering.dnsTtlUs}`);
  if (!(resolver.phase >= 0 && resolver.phase < 1)) throw new RangeError(`phase must be in [0, 1), got ${resolver.phase}`);
  const oldStopUs = renumbering.atUs + renumbering.oldAddressesAnswerForUs;
  const cycleUs = resolver.bind48 ? renumbering.dnsTtlUs - BIND48_REFRESH_LEFT_US : renumbering.dnsTtlUs;
  const refreshUs = renumbering.atUs + Math.floor(resolver.phase * cycleUs);
  if (resolver.bind48 && !renumbering.addressesOverlap) {
    return { startUs: Math.min(oldStopUs, refreshUs), endUs: refreshUs + BIND48_REFUSAL_US, cause: 'refused' };
  }
  return refreshUs > oldStopUs ? { startUs: oldStopUs, endUs: refreshUs, cause: 'stale' } : null;
}
