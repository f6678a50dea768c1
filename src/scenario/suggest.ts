// "Did you mean" suggestions for unknown keys, by edit distance.

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous: number[] = [];
  for (let j = 0; j <= right.length; j++) previous.push(j);
  for (let i = 1; i <= left.length; i++) {
    const current: number[] = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] as number) + (left[i - 1] === right[j - 1] ? 0 : 1);
      const deletion = (previous[j] as number) + 1;
      const insertion = (current[j - 1] as number) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[right.length] as number;
}

/**
 * The closest candidate, if close enough to be a plausible typo: at most a third of the
 * longer word's letters changed (and at least 2 allowed, so short keys still get help).
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** The "expected" half of an unknown-key message. */
export function unknownKeyExpectation(key: string, allowed: readonly string[]): string {
  const match = closestMatch(key, allowed);
  if (match !== undefined) return `a known key (did you mean \`${match}\`?)`;
  return `one of: ${allowed.join(', ')}`;
}
