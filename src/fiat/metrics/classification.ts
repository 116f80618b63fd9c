/**
 * Classification metrics as scikit-learn computes them (checked against it in test/fixtures/metrics/
 * classification.json): accuracy_score, and average_precision_score, the area under the precision-recall curve
 * that the FIAT paper reports as AUC-PR for XOR-AttriQA.
 */

/**
 * The fraction of predictions equal to their gold label (accuracy_score). A null prediction (the output named no
 * label) is wrong. Null for no examples, which scikit-learn refuses (ValueError).
 */
export function accuracy(gold: readonly string[], predicted: readonly (string | null)[]): number | null {
  if (gold.length !== predicted.length) throw new RangeError(`accuracy: ${gold.length} gold labels, ${predicted.length} predictions`);
  if (gold.length === 0) return null;
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (predicted[i] === gold[i]) correct += 1;
  return correct / gold.length;
}

/**
 * Average precision of ranking the examples by `scores` (the positive label's probability), as scikit-learn's
 * average_precision_score: AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over the thresholds n, the distinct scores from the highest down,
 * where Pₙ and Rₙ are the precision and recall of calling every example scored ≥ that threshold positive. It is
 * the step-wise sum, not an interpolated or trapezoidal area. Examples with equal scores share one threshold, so
 * their order does not matter (0 and −0 are equal).
 *
 * With no positive example recall is undefined: scikit-learn warns ("No positive class found in y_true") and
 * returns 0, which would read as a model that ranks badly; this returns null instead, so a report can show the
 * value as undefined and leave it out of averages. Every other case, one example and all positives included,
 * equals scikit-learn's value (up to float summation order, < 1e-15).
 *
 * Throws RangeError on lengths that differ or a score that is not finite (scikit-learn raises ValueError).
 */
export function averagePrecision(positive: readonly boolean[], scores: readonly number[]): number | null {
  if (positive.length !== scores.length) throw new RangeError(`averagePrecision: ${positive.length} labels, ${scores.length} scores`);
  scores.forEach((score, i) => {
    if (!Number.isFinite(score)) throw new RangeError(`averagePrecision: score ${i} is ${score}, not a finite number`);
  });
  const positives = positive.filter(Boolean).length;
  if (positives === 0) return null;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let truePositives = 0;
  let previousRecall = 0;
  let sum = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (positive[i]) truePositives += 1;
    const next = order[k + 1];
    if (next !== undefined && scores[next] === scores[i]) continue;
    const recall = truePositives / positives;
    sum += (recall - previousRecall) * (truePositives / (k + 1));
    previousRecall = recall;
  }
  return sum;
}
