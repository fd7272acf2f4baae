/** Summaries of repeated measurements: medians and spread, never a single run. */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The p-th percentile (0..100) of `values`, interpolated linearly between the two nearest ranks
 * (the common "R-7" definition, the one spreadsheets use).
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("percentile of no values");
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError("summary of no values");
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError("summary of a value that is not a finite number");
  return {
    n: values.length,
    median: median(values),
    p25: percentile(values, 25),
    p75: percentile(values, 75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Interquartile range relative to the median, in percent: how much runs disagree. */
export function relativeSpread(summary: Summary): number {
  return summary.median === 0 ? 0 : ((summary.p75 - summary.p25) / summary.median) * 100;
}

/**
 * Ratio of two medians, with the spread of the per-round ratios when both were measured in the
 * same rounds (pairing cancels drift that hits both sides of a round alike).
 */
export function pairedRatio(subject: readonly number[], baseline: readonly number[]): Summary {
  if (subject.length !== baseline.length) throw new RangeError(`paired ratio of ${subject.length} and ${baseline.length} rounds`);
  return summarize(subject.map((value, i) => value / baseline[i]!));
}
