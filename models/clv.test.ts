import { describe, expect, it } from 'vitest';
import { bgnbdConditionalExpected } from './bgnbd.ts';
import { customerLifetimeValue } from './clv.ts';
import { ggConditionalExpectedValue } from './gamma-gamma.ts';

const bgnbd = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 };
const gg = { p: 6.2488, q: 3.7446, v: 15.4477 };
const data = { frequency: [2, 0, 26], recency: [30.43, 0, 30.86], T: [38.86, 38.86, 31], monetaryValue: [22.35, 0, 40] };

describe('customerLifetimeValue', () => {
  it('without discounting is expected purchases over 12 months × expected value per purchase', () => {
    const clv = customerLifetimeValue(bgnbd, gg, data);
    for (let i = 0; i < 3; i++) {
      const purchases = bgnbdConditionalExpected(bgnbd, 12 * 4.345, data.frequency[i]!, data.recency[i]!, data.T[i]!);
      const value = ggConditionalExpectedValue(gg, data.frequency[i]!, data.monetaryValue[i]!);
      expect(clv[i]).toBeCloseTo(purchases * value, 8);
    }
  });

  it('is lower with a discount rate and scales with the margin', () => {
    const plain = customerLifetimeValue(bgnbd, gg, data);
    const discounted = customerLifetimeValue(bgnbd, gg, data, { monthlyDiscountRate: 0.01 });
    const margin = customerLifetimeValue(bgnbd, gg, data, { margin: 0.3 });
    for (let i = 0; i < 3; i++) {
      expect(discounted[i]!).toBeLessThan(plain[i]!);
      expect(discounted[i]!).toBeGreaterThan(plain[i]! / 1.01 ** 12);
      expect(margin[i]).toBeCloseTo(plain[i]! * 0.3, 8);
    }
  });
});
