// Calendar days in a time zone as instants. The delivery log's date filter means days as the
// deployment's people read them (PULSE_TIMEZONE), not UTC days: "deliveries of 1 March" in Shanghai
// starts at 16:00 UTC the day before.

/** How far `tz`'s wall clock is ahead of UTC at the instant `at` (ms since epoch), in ms. */
export function zoneOffsetMs(at: number, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The first instant of a calendar day (YYYY-MM-DD) in `tz`, as an ISO time. On a day whose midnight
 * does not exist (a DST jump at 00:00), the first instant that does.
 */
export function zonedDayStart(day: string, tz: string): string {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  // Two rounds: the offset at the guessed instant may differ from the one at the answer (DST).
  let at = midnightUtc - zoneOffsetMs(midnightUtc, tz);
  at = midnightUtc - zoneOffsetMs(at, tz);
  return new Date(at).toISOString();
}
