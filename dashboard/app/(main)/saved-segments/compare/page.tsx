// Two saved segments side by side on the same snapshot: size, revenue and value, profile means, top
// regions, and the overlap (customers in both). The choice is a plain GET form, so it works before
// any script has loaded and the comparison has a URL.
import type { ReactNode } from 'react';
import { listSavedSegments } from '../../../../../lib/saved-segments.ts';
import { buttonClass, fieldClass, linkClass } from '../../../../components/data-ui.tsx';
import { Card, EmptyState, Notice, PageHeader, Td, Th, Title } from '../../../../components/ui.tsx';
import { compareSegments, getVisibleSegment, parseSavedSegmentId, type ComparedSegment } from '../../../../lib/data/saved-segments.ts';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { ruleErrorText } from '../../../../lib/rule-text.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../lib/server/warehouse.ts';
import { SegmentRulesError, profileMeasures } from '../../../../../warehouse/index.ts';

export const metadata = { title: 'Compare segments' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CompareSegmentsPage({ searchParams }: { searchParams: SearchParams }) {
  const { t, locale, session } = await requirePage('page:segments', '/saved-segments/compare');
  const { pool, config } = await getServerContext();
  const visible = await listSavedSegments(pool, { userId: session.user.id, role: session.user.role });
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const idA = parseSavedSegmentId(one(sp.a));
  const idB = parseSavedSegmentId(one(sp.b));
  const [a, b] = await Promise.all([idA === null ? null : getVisibleSegment(idA, session), idB === null ? null : getVisibleSegment(idB, session)]);

  let comparison;
  let problem: string | null = null;
  if (a && b) {
    try {
      comparison = await compareSegments(a, b);
    } catch (error) {
      if (error instanceof NoSnapshotError) problem = t.states.noSnapshot;
      else if (error instanceof SegmentRulesError) problem = fill(t.builder.evaluationFailed, { message: error.errors.map((e) => ruleErrorText(t, e)).join(' ') });
      else throw error;
    }
  }
  const f = createFormatters(locale, comparison?.reportingCurrency ?? config.reportingCurrency, config.timeZone);
  const picker = (name: 'a' | 'b', label: string, selected: number | null) => (
    <label className="flex min-w-0 flex-1 flex-col gap-1 text-tremor-default text-tremor-content-emphasis">
      {label}
      <select name={name} defaultValue={selected ?? ''} className={fieldClass} data-testid={`compare-${name}`}>
        <option value="">{t.builder.choose}</option>
        {visible.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <>
      <PageHeader
        title={t.builder.compareTitle}
        subtitle={
          <span>
            <a className={linkClass} href="/saved-segments">
              ← {t.builder.back}
            </a>{' '}
            · {t.builder.compareSubtitle}
          </span>
        }
      />
      {visible.length < 2 ? (
        <EmptyState>{t.builder.needTwo}</EmptyState>
      ) : (
        <Card>
          <form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end">
            {picker('a', t.builder.segmentA, idA)}
            {picker('b', t.builder.segmentB, idB)}
            <button type="submit" className={buttonClass} data-testid="compare-submit">
              ⇄ {t.builder.compare}
            </button>
          </form>
        </Card>
      )}
      {problem ? (
        <Notice tone="error" className="mt-4">
          {problem}
        </Notice>
      ) : null}
      {visible.length >= 2 && !comparison && !problem ? (
        <div className="mt-4">
          <EmptyState>{t.builder.pickTwo}</EmptyState>
        </div>
      ) : null}
      {comparison ? <ComparisonView comparison={comparison} f={f} t={t} /> : null}
    </>
  );
}

function ComparisonView({ comparison, f, t }: { comparison: Awaited<ReturnType<typeof compareSegments>>; f: ReturnType<typeof createFormatters>; t: Awaited<ReturnType<typeof requirePage>>['t'] }) {
  const { a, b, overlap } = comparison;
  const onlyA = a.count.customers - overlap.both;
  const onlyB = b.count.customers - overlap.both;
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  const row = (label: string, value: (s: ComparedSegment) => string, testId?: string) => (
    <tr key={label} data-testid={testId}>
      <Th className="whitespace-normal normal-case tracking-normal">{label}</Th>
      <Td className="text-right tabular-nums">{value(a)}</Td>
      <Td className="text-right tabular-nums">{value(b)}</Td>
    </tr>
  );
  return (
    <>
      <Card className="mt-4" data-testid="overlap">
        <Title>{t.builder.overlap}</Title>
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-4">
          <OverlapFigure label={fill(t.builder.onlyIn, { name: a.segment.name })} value={f.number(onlyA)} />
          <OverlapFigure label={t.builder.inBoth} value={f.number(overlap.both)} strong testId="overlap-both" hint={`${fill(t.builder.shareOf, { share: f.percent(share(overlap.both, a.count.customers)), name: a.segment.name })} · ${fill(t.builder.shareOf, { share: f.percent(share(overlap.both, b.count.customers)), name: b.segment.name })}`} />
          <OverlapFigure label={fill(t.builder.onlyIn, { name: b.segment.name })} value={f.number(onlyB)} />
          <OverlapFigure label={t.builder.inEither} value={f.number(overlap.either)} />
        </div>
        {/* Proportions of the union: only A, both, only B. */}
        <div className="mt-3 flex h-3 overflow-hidden rounded-full bg-tremor-background-subtle" aria-hidden>
          <div className="bg-blue-500" style={{ width: `${share(onlyA, overlap.either) * 100}%` }} />
          <div className="bg-violet-500" style={{ width: `${share(overlap.both, overlap.either) * 100}%` }} />
          <div className="bg-emerald-500" style={{ width: `${share(onlyB, overlap.either) * 100}%` }} />
        </div>
      </Card>
      <Card className="mt-4">
        <Title>{t.builder.figures}</Title>
        <FitTable>
          <thead>
            <tr>
              <Th>{t.builder.measure}</Th>
              <Th className="max-w-[6.5rem] truncate text-right sm:max-w-[12rem]">{a.segment.name}</Th>
              <Th className="max-w-[6.5rem] truncate text-right sm:max-w-[12rem]">{b.segment.name}</Th>
            </tr>
          </thead>
          <tbody data-testid="compare-figures">
            {row(t.builder.customers, (s) => f.number(s.count.customers), 'compare-size')}
            {row(t.builder.revenue, (s) => f.moneyCompact(s.count.revenue))}
            {row(t.builder.revenueShare, (s) => f.percent(s.count.revenueShare))}
            {row(t.builder.expectedValue, (s) => f.moneyCompact(s.profile.expectedValue))}
            {row(t.builder.highRisk, (s) => f.number(s.profile.highRisk))}
          </tbody>
        </FitTable>
      </Card>
      <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <Title>{t.builder.profile}</Title>
          <FitTable>
            <thead>
              <tr>
                <Th>{t.builder.measure}</Th>
                <Th className="max-w-[6.5rem] truncate text-right sm:max-w-[9rem]">{a.segment.name}</Th>
                <Th className="max-w-[6.5rem] truncate text-right sm:max-w-[9rem]">{b.segment.name}</Th>
              </tr>
            </thead>
            <tbody>
              {profileMeasures.map((m) => {
                const money = m === 'monetary' || m === 'average_order_value' || m === 'expected_value_12m';
                const format = (v: number | null) => (v === null ? '–' : money ? f.money(v) : m === 'p_alive' ? f.percent(v) : new Intl.NumberFormat(f.locale, { maximumFractionDigits: 1 }).format(v));
                return row(t.builder.measures[m] ?? m, (s) => format(s.profile.means[m]));
              })}
            </tbody>
          </FitTable>
        </Card>
        <Card>
          <Title>{t.builder.topRegions}</Title>
          <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
            {[a, b].map((s) => (
              <div key={s.segment.id} className="min-w-0">
                <p className="truncate text-tremor-default font-medium text-tremor-content-strong">{s.segment.name}</p>
                <ul className="mt-1 flex flex-col gap-1">
                  {s.regions.map((r) => (
                    <li key={r.value ?? '∅'} className="flex justify-between gap-2 text-tremor-default">
                      <span className="truncate">{r.value ?? t.builder.unknown}</span>
                      <span className="tabular-nums text-tremor-content">{f.percent(share(r.customers, s.count.customers))}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </Card>
      </div>
    </>
  );
}

/** A three-column table that wraps its labels to fit a phone (ScrollTable keeps every cell on one line). */
function FitTable({ children }: { children: ReactNode }) {
  return (
    <div className="-mx-4 mt-3 overflow-x-auto sm:mx-0">
      <table className="w-full border-collapse text-left text-tremor-default">{children}</table>
    </div>
  );
}

function OverlapFigure({ label, value, hint, strong, testId }: { label: string; value: string; hint?: string; strong?: boolean; testId?: string }) {
  return (
    <div className="min-w-0 rounded-tremor-small bg-tremor-background-muted/60 p-3" data-testid={testId}>
      <p className="truncate text-xs text-tremor-content" title={label}>
        {label}
      </p>
      <p className={strong ? 'text-2xl font-semibold tabular-nums text-violet-700' : 'text-xl font-semibold tabular-nums text-tremor-content-strong'}>{value}</p>
      {hint ? <p className="text-xs text-tremor-content-subtle">{hint}</p> : null}
    </div>
  );
}
