/** The candidate nearest to `word` by edit distance, if it is near enough to be a likely misspelling. */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A third of the name may differ: `allowedDay` → `allowedDays`, `gmtzone` → `gmtZone`, not `foo` → `phone`.
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** Levenshtein distance; words longer than 100 characters are compared by their first 100. */
function editDistance(a: string, b: string): number {
  const x = a.slice(0, 100);
  const y = b.slice(0, 100);
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[y.length]!;
}

/**
 * The message for an unknown key (`what` is `field` or `option`): it names the closest known key when
 * one is near enough, else lists them all. Long keys are cut at 60 characters.
 */
export function unknownKeyMessage(what: string, key: string, known: readonly string[]): string {
  const near = closestName(key, known);
  const shown = key.length > 60 ? `${key.slice(0, 57)}...` : key;
  const hint = near === undefined ? `expected one of ${known.join(', ')}` : `did you mean \`${near}\`?`;
  return `unknown ${what} \`${shown}\`; ${hint}`;
}
