import { describe, expect, it } from 'vitest';
import { centroidRows, matchSegments, nameSegments, profileSegments, type SegmentProfile } from './segments.ts';

const profile = (cluster: number, zScores: number[], size = 100): SegmentProfile => ({
  cluster,
  size,
  share: 0,
  revenue: 0,
  revenueShare: 0,
  means: zScores,
  zScores,
});

describe('profileSegments', () => {
  it('reports size, revenue share and each feature as a z-score against the population', () => {
    // Feature 0: cluster 0 low, cluster 1 high; feature 1 constant.
    const data = Float64Array.from([0, 1, 0, 1, 2, 1, 2, 1]);
    const labels = Int32Array.from([0, 0, 1, 1]);
    const profiles = profileSegments(data, 4, 2, labels, 2, [10, 10, 30, 50]);
    expect(profiles.map((p) => p.size)).toEqual([2, 2]);
    expect(profiles.map((p) => p.revenueShare)).toEqual([0.2, 0.8]);
    expect(profiles[0]!.zScores).toEqual([-1, 0]);
    expect(profiles[1]!.zScores).toEqual([1, 0]);
  });
});

describe('nameSegments', () => {
  // Feature order: recency, frequency, monetary, tenure, engagement, support.
  it('names clusters from their profile in English and Chinese', () => {
    const names = nameSegments([
      profile(0, [-0.8, 1.2, 1.5, 0.5, 0.3, 0]),
      profile(1, [1.0, 0.2, 1.1, 0.4, 0, 0]),
      profile(2, [-0.9, -0.6, -0.4, -1.5, 0, 0]),
      profile(3, [1.2, -0.8, -0.7, 0.6, -0.5, 0]),
      profile(4, [0.1, -0.6, -0.2, 0.2, 0, 0]),
      profile(5, [-0.5, 0.0, -0.1, 0.3, 0, 0]),
      profile(6, [0.2, 0.1, 0.0, 0.1, 0, 2]),
    ]);
    expect(names.map((n) => n.en)).toEqual([
      'High-value loyal',
      'Big spenders at risk',
      'New customers',
      'Hibernating',
      'Occasional buyers',
      'Promising',
      'Needs attention',
    ]);
    expect(names.map((n) => n.zh)).toEqual(['高价值忠诚客户', '高消费流失风险客户', '新客户', '休眠客户', '偶尔购买客户', '潜力客户', '需要关注']);
  });

  it('keeps names unique by naming what sets two same-named clusters apart', () => {
    const names = nameSegments([profile(0, [1.2, -0.8, -0.7, 0.6, 1.5, 0]), profile(1, [1.1, -0.9, -0.6, 0.5, -1.0, 0]), profile(2, [1.1, -0.9, -0.6, 0.5, -1.0, 0], 50)]);
    expect(new Set(names.map((n) => n.en)).size).toBe(3);
    expect(names[0]!.en).toBe('Hibernating (more engaged)');
    expect(names[0]!.zh).toBe('休眠客户（互动较多）');
    expect(names[1]!.en).toBe('Hibernating (less engaged)');
    expect(names[2]!.en).toBe('Hibernating (less engaged) 2');
    expect(names.every((n) => n.key === 'hibernating')).toBe(true);
  });

  it('is deterministic', () => {
    const profiles = [profile(0, [0.5, 0.5, 0.5, 0, 0, 0]), profile(1, [-0.5, 0, 0, 0, 0, 0])];
    expect(nameSegments(profiles)).toEqual(nameSegments(profiles));
  });
});

describe('matchSegments', () => {
  const previous = [
    { id: 3, centroid: [0, 0] },
    { id: 7, centroid: [5, 0] },
    { id: 9, centroid: [0, 5] },
  ];

  it('keeps each id when the new centroids are a slightly shifted, reordered copy', () => {
    const next = [
      [0.2, 5.1],
      [0.1, -0.2],
      [5.2, 0.1],
    ];
    const matches = matchSegments(previous, next, 1);
    expect(matches.map((m) => m.id)).toEqual([9, 3, 7]);
    expect(matches.every((m) => m.previousId === m.id && m.distance! < 1)).toBe(true);
  });

  it('gives new ids to centroids that moved too far or are extra, and drops vanished ones', () => {
    const next = [
      [0.1, 0.1],
      [20, 20],
      [5, 0.3],
      [-20, 3],
    ];
    const matches = matchSegments(previous, next, 1);
    expect(matches.map((m) => m.id)).toEqual([3, 10, 7, 11]);
    expect(matches[1]!.previousId).toBeNull();
  });

  it('matches as many segments as it can rather than grabbing the closest pair first', () => {
    // Greedy would pair new 0 with id 1 (0.3) and leave new 1 with nothing within 1 of it;
    // the minimum-cost matching keeps both ids (0.9 + 0.5).
    const prev = [
      { id: 1, centroid: [0, 0] },
      { id: 2, centroid: [1.2, 0] },
    ];
    const matches = matchSegments(prev, [[0.3, 0], [-0.5, 0]], 1);
    expect(matches.map((m) => m.id)).toEqual([2, 1]);
  });

  it('works on flat k × d centroid arrays through centroidRows', () => {
    const rows = centroidRows(Float64Array.from([0, 0, 5, 0, 0, 5]), 2);
    expect(matchSegments(previous, rows, 0.5).map((m) => m.id)).toEqual([3, 7, 9]);
  });
});
