// Texts of one area of the dashboard, in both languages side by side (the English object is the
// shape the Chinese one must fill). Each area has its own file so areas grow without touching en.ts.
import type { Widen } from './widen.ts';

export const reportsEn = {
  // (texts of this area go here)
} as const satisfies Record<string, unknown>;

export const reportsZhCN: Widen<typeof reportsEn> = {};
