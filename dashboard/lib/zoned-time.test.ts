import { describe, expect, it } from 'vitest';
import { zoneOffsetMs, zonedDayStart } from './zoned-time.ts';

describe('zonedDayStart', () => {
  it('starts a Shanghai day at 16:00 UTC the day before', () => {
    expect(zonedDayStart('2026-03-01', 'Asia/Shanghai')).toBe('2026-02-28T16:00:00.000Z');
  });

  it('follows daylight saving time (New York: UTC−5 in winter, UTC−4 in summer)', () => {
    expect(zonedDayStart('2026-01-15', 'America/New_York')).toBe('2026-01-15T05:00:00.000Z');
    expect(zonedDayStart('2026-07-15', 'America/New_York')).toBe('2026-07-15T04:00:00.000Z');
  });

  it('is the day itself in UTC', () => {
    expect(zonedDayStart('2026-07-15', 'UTC')).toBe('2026-07-15T00:00:00.000Z');
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(2 * 3600_000);
  });
});
