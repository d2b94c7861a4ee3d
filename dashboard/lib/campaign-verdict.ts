// What a campaign's lift says, in one word: the same rule on the list, the detail and the breakdowns.
import type { CampaignMeasures } from './data/campaigns.ts';

export type Verdict = 'up' | 'down' | 'unclear' | 'small' | 'none';

/** 'none': no holdout (or nobody targeted); 'small': groups too small for an interval; else by the interval. */
export function liftVerdict(m: CampaignMeasures, kind: 'conversion' | 'revenue'): Verdict {
  if (m.holdout === 0 || m.audience === 0) return 'none';
  const low = kind === 'conversion' ? m.conversionLiftLow : m.revenueLiftLow;
  const high = kind === 'conversion' ? m.conversionLiftHigh : m.revenueLiftHigh;
  if (low === null || high === null) return 'small';
  if (low > 0) return 'up';
  if (high < 0) return 'down';
  return 'unclear';
}

export const verdictColour: Record<Verdict, 'green' | 'red' | 'gray' | 'amber'> = { up: 'green', down: 'red', unclear: 'gray', small: 'amber', none: 'gray' };

/** A rate difference in percentage points with its sign: "+2.4". */
export function formatPoints(value: number | null, locale: string): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value * 100);
}
