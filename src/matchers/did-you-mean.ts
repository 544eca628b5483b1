/** The closest of `names` to a misspelt `asked` (case aside, at most 2 edits and fewer than its length), if any. */
export function didYouMean(asked: string, names: readonly string[]): string | undefined {
  const lower = asked.toLowerCase();
  const limit = Math.min(2, asked.length - 1);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const name of names) {
    const d = editDistance(lower, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}
