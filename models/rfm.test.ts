import { describe, expect, it } from 'vitest';
import { ModelError } from '../lib/errors.ts';
import { RFM_GROUPS, rfmGroup, rfmScores } from './rfm.ts';

describe('rfmScores', () => {
  it('scores quintiles 1–5 with recent, frequent, big spenders highest', () => {
    const n = 10;
    const recency = Array.from({ length: n }, (_, i) => i * 10); // row 0 bought most recently
    const frequency = Array.from({ length: n }, (_, i) => n - i);
    const monetary = Array.from({ length: n }, (_, i) => (n - i) * 100);
    const scores = rfmScores(recency, frequency, monetary);
    expect(Array.from(scores.r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(Array.from(scores.f)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(RFM_GROUPS[scores.group[0]!]!.key).toBe('champions');
    expect(RFM_GROUPS[scores.group[9]!]!.key).toBe('lost');
  });

  it('gives tied values the same score whatever the row order', () => {
    const frequency = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5];
    const a = rfmScores(new Array(10).fill(5), frequency, frequency);
    const b = rfmScores(new Array(10).fill(5), [...frequency].reverse(), [...frequency].reverse());
    expect(new Set(Array.from(a.f.subarray(0, 6))).size).toBe(1);
    expect(Array.from(b.f).reverse()).toEqual(Array.from(a.f));
  });

  it('rejects empty or mismatched input', () => {
    expect(() => rfmScores([], [], [])).toThrow(ModelError);
    expect(() => rfmScores([1], [1, 2], [1])).toThrow(/differ in length/);
  });
});

describe('rfmGroup', () => {
  it('maps every R × FM cell to one of the eleven named groups, each with a Chinese name', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let fm = 1; fm <= 5; fm++) seen.add(rfmGroup(r, fm));
    expect(seen.size).toBe(11);
    expect(RFM_GROUPS.every((g) => g.zh.length > 0)).toBe(true);
    expect(rfmGroup(1, 5)).toBe('cant_lose_them');
    expect(rfmGroup(5, 1)).toBe('new');
    expect(rfmGroup(2, 3)).toBe('at_risk');
  });
});
