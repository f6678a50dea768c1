// Small spherical-geometry helpers shared by the topology builder and the latency model.
import type { Rng } from '../kernel/random.js';

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0;
const KM_PER_DEGREE_LAT = (Math.PI * EARTH_RADIUS_KM) / 180;
const DEG_TO_RAD = Math.PI / 180;

/** A point drawn uniformly in a disc of radiusKm around (latDeg, lonDeg); writes into out[0..1]. */
export function randomPointNear(rng: Rng, latDeg: number, lonDeg: number, radiusKm: number, out: Float64Array): void {
  const rKm = radiusKm * Math.sqrt(rng());
  const angle = 2 * Math.PI * rng();
  let lat = latDeg + (rKm * Math.cos(angle)) / KM_PER_DEGREE_LAT;
  // Keep away from the poles so the longitude scale below stays finite.
  if (lat > 85) lat = 85;
  if (lat < -85) lat = -85;
  const kmPerDegreeLon = KM_PER_DEGREE_LAT * Math.cos(lat * DEG_TO_RAD);
  let lon = lonDeg + (rKm * Math.sin(angle)) / kmPerDegreeLon;
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  out[0] = lat;
  out[1] = lon;
}

/** Unit vector of a point on the sphere; writes x, y, z into out[0..2]. */
export function unitVector(latDeg: number, lonDeg: number, out: Float64Array): void {
  const lat = latDeg * DEG_TO_RAD;
  const lon = lonDeg * DEG_TO_RAD;
  const cosLat = Math.cos(lat);
  out[0] = cosLat * Math.cos(lon);
  out[1] = cosLat * Math.sin(lon);
  out[2] = Math.sin(lat);
}

/**
 * Great-circle distance from the chord between two unit vectors. Hot path: one sqrt and one asin,
 * no allocation, no trigonometry of the coordinates (those are precomputed per node).
 */
export function distanceKmFromUnit(ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const dx = ax - bx;
  const dy = ay - by;
  const dz = az - bz;
  let halfChord = Math.sqrt(dx * dx + dy * dy + dz * dz) / 2;
  if (halfChord > 1) halfChord = 1;
  return 2 * EARTH_RADIUS_KM * Math.asin(halfChord);
}
