// Customer lifetime value: BG/NBD says how many purchases to expect, Gamma-Gamma what each is
// worth. Kept apart from both models because it is where business choices (horizon, discount
// rate, margin) come in.
import { bgnbdConditionalExpected, type BgnbdData, type BgnbdParams, type Numbers } from './bgnbd.ts';
import { ggConditionalExpectedValue, type GammaGammaParams } from './gamma-gamma.ts';

export interface ClvOptions {
  /** Horizon in months. Default 12. */
  months?: number;
  /** Discount rate per month (0.01 = 1 %); 0 means no discounting. Default 0. */
  monthlyDiscountRate?: number;
  /** Model time units in one month: 4.345 when the data is in weeks (default), 30.44 for days. */
  unitsPerMonth?: number;
  /** Share of revenue that is profit. Default 1 (value = revenue). */
  margin?: number;
}

/**
 * Expected value of each customer over the horizon: month by month, expected purchases in that
 * month × expected value per purchase, discounted to today.
 */
export function customerLifetimeValue(
  bgnbd: BgnbdParams,
  gammaGamma: GammaGammaParams,
  data: BgnbdData & { monetaryValue: Numbers },
  options: ClvOptions = {},
): Float64Array {
  const { months = 12, monthlyDiscountRate = 0, unitsPerMonth = 4.345, margin = 1 } = options;
  const n = data.frequency.length;
  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i]!;
    const tx = data.recency[i]!;
    const T = data.T[i]!;
    const value = margin * ggConditionalExpectedValue(gammaGamma, x, data.monetaryValue[i]!);
    let previous = 0;
    let total = 0;
    for (let month = 1; month <= months; month++) {
      const cumulative = bgnbdConditionalExpected(bgnbd, month * unitsPerMonth, x, tx, T);
      total += ((cumulative - previous) * value) / Math.pow(1 + monthlyDiscountRate, month);
      previous = cumulative;
    }
    clv[i] = total;
  }
  return clv;
}
