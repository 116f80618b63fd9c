// Metrics written in the tests apart from the studio's fiat/metrics, to check what the page shows against.

/**
 * Average precision as scikit-learn's average_precision_score computes it, written here apart from the studio's
 * fiat/metrics: rank by score, one threshold per distinct score (tied examples enter together), and sum the precision
 * at each threshold weighted by the recall it adds. Null without positives (the studio shows "—" there).
 */
export function averagePrecision(items: readonly { positive: boolean; score: number }[]): number | null {
  const positives = items.filter((i) => i.positive).length;
  if (positives === 0) return null;
  const ranked = [...items].sort((a, b) => b.score - a.score);
  let truePositives = 0;
  let seen = 0;
  let recallBefore = 0;
  let sum = 0;
  for (let i = 0; i < ranked.length; ) {
    const score = ranked[i]!.score;
    for (; i < ranked.length && ranked[i]!.score === score; i++) {
      seen++;
      if (ranked[i]!.positive) truePositives++;
    }
    const recall = truePositives / positives;
    sum += (recall - recallBefore) * (truePositives / seen);
    recallBefore = recall;
  }
  return sum;
}
