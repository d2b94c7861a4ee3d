import { describe, expect, it } from 'vitest';
import { formatInTimeZone, nextRunTimes } from './schedule.ts';

describe('nextRunTimes', () => {
  it('reads the cron in the subscription’s time zone: Mondays 08:00 in Shanghai are Mondays 00:00 UTC', () => {
    const runs = nextRunTimes('0 8 * * 1', 'Asia/Shanghai', new Date('2026-11-23T12:00:00Z'), 3);
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z']);
  });

  it('follows daylight saving time the way the worker’s scheduler does', () => {
    // 08:00 in Berlin is 07:00 UTC in winter and 06:00 UTC after the clocks move on 29 March 2026.
    const runs = nextRunTimes('0 8 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'), 2);
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-03-29T06:00:00.000Z', '2026-03-30T06:00:00.000Z']);
  });

  it('is strictly after `from`', () => {
    const [next] = nextRunTimes('0 8 * * *', 'UTC', new Date('2026-05-01T08:00:00Z'));
    expect(next!.toISOString()).toBe('2026-05-02T08:00:00.000Z');
  });

  it('refuses a cron the scheduler would refuse, naming the cron', () => {
    expect(() => nextRunTimes('61 8 * * *', 'UTC', new Date())).toThrow(/cron "61 8 \* \* \*" in UTC: .*0-59/);
    expect(() => nextRunTimes('0 0 30 2 *', 'UTC', new Date())).toThrow(expect.objectContaining({ code: 'bad_cron' }));
  });
});

describe('formatInTimeZone', () => {
  it('shows the local time with the zone’s offset', () => {
    expect(formatInTimeZone(new Date('2026-11-30T00:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-30 08:00 (UTC+08:00)');
    expect(formatInTimeZone(new Date('2026-07-01T06:30:00Z'), 'Europe/Berlin')).toBe('2026-07-01 08:30 (UTC+02:00)');
    expect(formatInTimeZone(new Date('2026-07-01T06:30:00Z'), 'UTC')).toBe('2026-07-01 06:30 (UTC+00:00)');
  });
});
