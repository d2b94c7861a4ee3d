// A lift with its verdict: "+2.4 pts · Higher than the holdout" (server-safe: no hooks).
import { formatPoints, liftVerdict, verdictColour } from '../../lib/campaign-verdict.ts';
import type { CampaignMeasures } from '../../lib/data/campaigns.ts';
import { fill, type Dictionary, type Locale } from '../../lib/i18n/index.ts';
import { Badge } from '../ui.tsx';

export function LiftBadge({ m, t, locale }: { m: CampaignMeasures; t: Dictionary; locale: Locale }) {
  const verdict = liftVerdict(m, 'conversion');
  return (
    <span className="inline-flex flex-col items-start gap-0.5" data-testid="lift" data-verdict={verdict}>
      {m.conversionLift !== null ? <span className="tabular-nums">{fill(t.campaigns.points, { value: formatPoints(m.conversionLift, locale) })}</span> : null}
      <Badge colour={verdictColour[verdict]}>{t.campaigns.verdict[verdict]}</Badge>
    </span>
  );
}
