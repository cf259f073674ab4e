/**
 * The candidates nearest to a mistyped word, nearest first, for "did you mean …?". Distance is edit
 * distance with swapped neighbours as one edit (--fial-on → --fail-on); a candidate counts when it is
 * at most a third of the word's length away (at least one edit), so unrelated names are not offered.
 * `shownAs` names what a candidate stands for (an alias → its region's name); each is offered once.
 */
export function nearestNames(
  word: string,
  candidates: Iterable<string>,
  limit = 3,
  shownAs: (name: string) => string = (name) => name,
): string[] {
  const allowed = Math.max(1, Math.floor([...word].length / 3));
  const best = new Map<string, number>();
  for (const name of candidates) {
    if (name === word) continue;
    const distance = editDistance(word, name, allowed);
    if (distance > allowed) continue;
    const shown = shownAs(name);
    best.set(shown, Math.min(distance, best.get(shown) ?? Number.POSITIVE_INFINITY));
  }
  return [...best]
    .sort(([a, da], [b, db]) => da - db || a.length - b.length)
    .slice(0, limit)
    .map(([name]) => name);
}

/** Optimal string alignment distance over code points; stops early past `cap` (returns cap + 1). */
export function editDistance(a: string, b: string, cap = Number.POSITIVE_INFINITY): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > cap) return cap + 1;
  let before: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j += 1) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > cap) return cap + 1;
    before = previous;
    previous = current;
  }
  return previous[t.length]!;
}
