// How the report writes a figure in text: counts with thousands separators, percentages, seconds.

export function percent(fraction: number, decimals = 2): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}

/** 1234567 -> "1,234,567" (by hand, so the text does not depend on the ICU data Node was built with). */
export function count(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12.3 s", "123 s", or "-" for a figure over an empty series (null in summary.json). */
export function seconds(value: number | null): string {
  if (value === null) return '-';
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} s`;
}
