// The fixed table of 60 real countries the topology is built on: ISO 3166 alpha-2 code, continent,
// an approximate point where most of the country's users are, a spread radius, and a demand weight.

/** The six continents, in index order. Antarctica has no servers. */
export const CONTINENTS = ['AF', 'AS', 'EU', 'NA', 'SA', 'OC'] as const;
export type ContinentCode = (typeof CONTINENTS)[number];

export interface Country {
  /** ISO 3166-1 alpha-2. */
  readonly code: string;
  readonly name: string;
  readonly continent: ContinentCode;
  /** Approximate population-weighted centre (often the capital or largest metro), degrees. */
  readonly latDeg: number;
  readonly lonDeg: number;
  /** Rough radius in km over which the country's ISPs are spread (a stated assumption from its size). */
  readonly spreadKm: number;
  /**
   * Share of Internet hosts / CDN demand. The numbers approximate Internet users in 2005 in millions
   * (ITU estimates, rounded), the year of the ACMS paper; only their ratios matter.
   */
  readonly weight: number;
}

// 60 countries, as in the paper's platform ("15,000 servers in 1,200 ISPs in 60 countries").
// MY is here for seed 000's Malaysian router. Ties in weight are broken by table order.
export const COUNTRY_TABLE: readonly Country[] = [
  // North America
  { code: 'US', name: 'United States', continent: 'NA', latDeg: 39.8, lonDeg: -95.0, spreadKm: 2000, weight: 200 },
  { code: 'CA', name: 'Canada', continent: 'NA', latDeg: 45.5, lonDeg: -77.0, spreadKm: 1500, weight: 22 },
  { code: 'MX', name: 'Mexico', continent: 'NA', latDeg: 19.4, lonDeg: -99.1, spreadKm: 800, weight: 18 },
  { code: 'CR', name: 'Costa Rica', continent: 'NA', latDeg: 9.9, lonDeg: -84.1, spreadKm: 100, weight: 1.0 },
  // South America
  { code: 'BR', name: 'Brazil', continent: 'SA', latDeg: -20.0, lonDeg: -46.0, spreadKm: 1200, weight: 26 },
  { code: 'AR', name: 'Argentina', continent: 'SA', latDeg: -34.6, lonDeg: -58.4, spreadKm: 700, weight: 10 },
  { code: 'CL', name: 'Chile', continent: 'SA', latDeg: -33.4, lonDeg: -70.6, spreadKm: 500, weight: 6.0 },
  { code: 'CO', name: 'Colombia', continent: 'SA', latDeg: 4.7, lonDeg: -74.1, spreadKm: 400, weight: 5.5 },
  { code: 'PE', name: 'Peru', continent: 'SA', latDeg: -12.0, lonDeg: -77.0, spreadKm: 400, weight: 4.6 },
  { code: 'VE', name: 'Venezuela', continent: 'SA', latDeg: 10.5, lonDeg: -66.9, spreadKm: 400, weight: 3.3 },
  { code: 'UY', name: 'Uruguay', continent: 'SA', latDeg: -34.9, lonDeg: -56.2, spreadKm: 150, weight: 0.8 },
  // Europe
  { code: 'DE', name: 'Germany', continent: 'EU', latDeg: 51.0, lonDeg: 10.0, spreadKm: 350, weight: 48 },
  { code: 'GB', name: 'United Kingdom', continent: 'EU', latDeg: 52.5, lonDeg: -1.5, spreadKm: 300, weight: 37 },
  { code: 'IT', name: 'Italy', continent: 'EU', latDeg: 42.5, lonDeg: 12.5, spreadKm: 400, weight: 28 },
  { code: 'FR', name: 'France', continent: 'EU', latDeg: 46.6, lonDeg: 2.4, spreadKm: 400, weight: 26 },
  { code: 'RU', name: 'Russia', continent: 'EU', latDeg: 55.75, lonDeg: 37.6, spreadKm: 1500, weight: 22 },
  { code: 'ES', name: 'Spain', continent: 'EU', latDeg: 40.4, lonDeg: -3.7, spreadKm: 400, weight: 17 },
  { code: 'TR', name: 'Turkey', continent: 'EU', latDeg: 40.5, lonDeg: 31.0, spreadKm: 600, weight: 16 },
  { code: 'NL', name: 'Netherlands', continent: 'EU', latDeg: 52.2, lonDeg: 5.3, spreadKm: 100, weight: 12 },
  { code: 'PL', name: 'Poland', continent: 'EU', latDeg: 52.0, lonDeg: 19.4, spreadKm: 300, weight: 10.5 },
  { code: 'SE', name: 'Sweden', continent: 'EU', latDeg: 59.3, lonDeg: 18.0, spreadKm: 400, weight: 7.0 },
  { code: 'BE', name: 'Belgium', continent: 'EU', latDeg: 50.8, lonDeg: 4.4, spreadKm: 100, weight: 5.1 },
  { code: 'CZ', name: 'Czechia', continent: 'EU', latDeg: 49.8, lonDeg: 15.5, spreadKm: 200, weight: 4.9 },
  { code: 'UA', name: 'Ukraine', continent: 'EU', latDeg: 50.4, lonDeg: 30.5, spreadKm: 500, weight: 4.7 },
  { code: 'CH', name: 'Switzerland', continent: 'EU', latDeg: 46.8, lonDeg: 8.2, spreadKm: 100, weight: 4.5 },
  { code: 'RO', name: 'Romania', continent: 'EU', latDeg: 44.4, lonDeg: 26.1, spreadKm: 300, weight: 4.4 },
  { code: 'AT', name: 'Austria', continent: 'EU', latDeg: 47.6, lonDeg: 14.1, spreadKm: 200, weight: 4.0 },
  { code: 'DK', name: 'Denmark', continent: 'EU', latDeg: 55.7, lonDeg: 12.6, spreadKm: 150, weight: 3.7 },
  { code: 'PT', name: 'Portugal', continent: 'EU', latDeg: 39.5, lonDeg: -8.2, spreadKm: 200, weight: 3.6 },
  { code: 'NO', name: 'Norway', continent: 'EU', latDeg: 59.9, lonDeg: 10.8, spreadKm: 300, weight: 3.4 },
  { code: 'FI', name: 'Finland', continent: 'EU', latDeg: 61.0, lonDeg: 25.0, spreadKm: 300, weight: 3.3 },
  { code: 'HU', name: 'Hungary', continent: 'EU', latDeg: 47.5, lonDeg: 19.0, spreadKm: 150, weight: 3.0 },
  { code: 'GR', name: 'Greece', continent: 'EU', latDeg: 38.0, lonDeg: 23.7, spreadKm: 250, weight: 2.0 },
  { code: 'IE', name: 'Ireland', continent: 'EU', latDeg: 53.3, lonDeg: -6.3, spreadKm: 150, weight: 1.5 },
  // Asia
  { code: 'CN', name: 'China', continent: 'AS', latDeg: 32.0, lonDeg: 114.0, spreadKm: 1500, weight: 111 },
  { code: 'JP', name: 'Japan', continent: 'AS', latDeg: 35.7, lonDeg: 139.7, spreadKm: 600, weight: 86 },
  { code: 'IN', name: 'India', continent: 'AS', latDeg: 22.0, lonDeg: 79.0, spreadKm: 1200, weight: 40 },
  { code: 'KR', name: 'South Korea', continent: 'AS', latDeg: 37.5, lonDeg: 127.0, spreadKm: 200, weight: 33 },
  { code: 'ID', name: 'Indonesia', continent: 'AS', latDeg: -6.2, lonDeg: 106.8, spreadKm: 1000, weight: 15.5 },
  { code: 'TW', name: 'Taiwan', continent: 'AS', latDeg: 25.0, lonDeg: 121.5, spreadKm: 150, weight: 14.5 },
  { code: 'MY', name: 'Malaysia', continent: 'AS', latDeg: 3.1, lonDeg: 101.7, spreadKm: 400, weight: 10.1 },
  { code: 'VN', name: 'Vietnam', continent: 'AS', latDeg: 21.0, lonDeg: 105.8, spreadKm: 500, weight: 9.8 },
  { code: 'PK', name: 'Pakistan', continent: 'AS', latDeg: 30.0, lonDeg: 70.0, spreadKm: 500, weight: 9.5 },
  { code: 'IR', name: 'Iran', continent: 'AS', latDeg: 35.7, lonDeg: 51.4, spreadKm: 600, weight: 7.5 },
  { code: 'TH', name: 'Thailand', continent: 'AS', latDeg: 13.75, lonDeg: 100.5, spreadKm: 400, weight: 7.2 },
  { code: 'PH', name: 'Philippines', continent: 'AS', latDeg: 14.6, lonDeg: 121.0, spreadKm: 400, weight: 6.9 },
  { code: 'HK', name: 'Hong Kong', continent: 'AS', latDeg: 22.3, lonDeg: 114.2, spreadKm: 30, weight: 4.1 },
  { code: 'IL', name: 'Israel', continent: 'AS', latDeg: 32.1, lonDeg: 34.8, spreadKm: 100, weight: 3.8 },
  { code: 'SA', name: 'Saudi Arabia', continent: 'AS', latDeg: 24.7, lonDeg: 46.7, spreadKm: 600, weight: 3.2 },
  { code: 'SG', name: 'Singapore', continent: 'AS', latDeg: 1.35, lonDeg: 103.8, spreadKm: 20, weight: 2.4 },
  { code: 'AE', name: 'United Arab Emirates', continent: 'AS', latDeg: 25.2, lonDeg: 55.3, spreadKm: 100, weight: 1.4 },
  // Oceania
  { code: 'AU', name: 'Australia', continent: 'OC', latDeg: -34.0, lonDeg: 147.0, spreadKm: 1200, weight: 14 },
  { code: 'NZ', name: 'New Zealand', continent: 'OC', latDeg: -39.0, lonDeg: 175.0, spreadKm: 400, weight: 3.1 },
  // Africa
  { code: 'EG', name: 'Egypt', continent: 'AF', latDeg: 30.0, lonDeg: 31.2, spreadKm: 300, weight: 5.0 },
  { code: 'NG', name: 'Nigeria', continent: 'AF', latDeg: 6.5, lonDeg: 3.4, spreadKm: 500, weight: 4.8 },
  { code: 'MA', name: 'Morocco', continent: 'AF', latDeg: 34.0, lonDeg: -6.8, spreadKm: 300, weight: 4.6 },
  { code: 'ZA', name: 'South Africa', continent: 'AF', latDeg: -26.2, lonDeg: 28.0, spreadKm: 500, weight: 3.6 },
  { code: 'DZ', name: 'Algeria', continent: 'AF', latDeg: 36.8, lonDeg: 3.1, spreadKm: 400, weight: 1.9 },
  { code: 'KE', name: 'Kenya', continent: 'AF', latDeg: -1.3, lonDeg: 36.8, spreadKm: 300, weight: 1.1 },
  { code: 'TN', name: 'Tunisia', continent: 'AF', latDeg: 36.8, lonDeg: 10.2, spreadKm: 150, weight: 0.95 },
];

/** Index of a continent code in CONTINENTS, or -1. */
export function continentIndex(code: string): number {
  return (CONTINENTS as readonly string[]).indexOf(code);
}

/**
 * The n heaviest countries, heaviest first (ties keep table order). The topology's country index
 * is the position in this list.
 */
export function heaviestCountries(n: number): Country[] {
  if (!Number.isInteger(n) || n < 1 || n > COUNTRY_TABLE.length) {
    throw new RangeError(`countries must be an integer in [1, ${COUNTRY_TABLE.length}], got ${n}`);
  }
  const order = COUNTRY_TABLE.map((country, index) => ({ country, index }));
  order.sort((a, b) => b.country.weight - a.country.weight || a.index - b.index);
  return order.slice(0, n).map((entry) => entry.country);
}
