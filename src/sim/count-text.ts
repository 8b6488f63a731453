/**
 * A count and its noun for a person, singular for exactly 1: `1 entry`, `2 entries`, `0 dials`,
 * `20,000 entries`. The plural is `singular` + `s` unless given.
 *
 * @example countText(1, 'entry', 'entries') // '1 entry'
 */
export function countText(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
