import { expect } from "chai";
import { median, pairedRatio, percentile, relativeSpread, summarize } from "../../../bench/stats.js";

describe("bench statistics", () => {
  it("takes the middle value of an odd count, whatever the order", () => {
    expect(median([9, 1, 5])).to.equal(5);
  });

  it("interpolates the median of an even count", () => {
    expect(median([1, 2, 3, 10])).to.equal(2.5);
  });

  it("interpolates percentiles between ranks (R-7)", () => {
    const values = [10, 20, 30, 40, 50];
    expect(percentile(values, 0)).to.equal(10);
    expect(percentile(values, 25)).to.equal(20);
    expect(percentile(values, 99)).to.be.closeTo(49.6, 1e-9);
    expect(percentile(values, 100)).to.equal(50);
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).to.deep.equal([3, 1, 2]);
  });

  it("refuses no values, a percentile outside 0..100 and values that are not finite", () => {
    expect(() => median([])).to.throw(RangeError, /no values/);
    expect(() => percentile([1], 101)).to.throw(RangeError, /outside 0..100/);
    expect(() => percentile([1], Number.NaN)).to.throw(RangeError);
    expect(() => summarize([1, Number.POSITIVE_INFINITY])).to.throw(RangeError, /not a finite number/);
  });

  it("summarizes with the quartiles and the extremes", () => {
    expect(summarize([4, 1, 3, 2, 5])).to.deep.equal({ n: 5, median: 3, p25: 2, p75: 4, min: 1, max: 5 });
  });

  it("gives the spread as the interquartile range over the median, in percent", () => {
    expect(relativeSpread(summarize([4, 1, 3, 2, 5]))).to.be.closeTo(66.667, 1e-3);
    expect(relativeSpread(summarize([0, 0, 0]))).to.equal(0);
  });

  it("pairs ratios round by round, so drift common to a round cancels", () => {
    // The machine slows down 10× in the last round: both sides alike, the ratio does not move.
    const ratios = pairedRatio([2, 2, 20], [1, 1, 10]);
    expect(ratios.median).to.equal(2);
    expect(ratios.max).to.equal(2);
  });

  it("refuses to pair rounds of different counts", () => {
    expect(() => pairedRatio([1, 2], [1])).to.throw(RangeError, /2 and 1 rounds/);
  });
});
