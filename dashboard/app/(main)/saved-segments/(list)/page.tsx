// Saved segments: the ones this user may see (their own, shared ones; admins all) with owner, type,
// visibility, current size, change since the previous run and a sparkline of the size per run.
import { can } from '../../../../../lib/auth-roles.ts';
import { listSavedSegments } from '../../../../../lib/saved-segments.ts';
import { SegmentSparkline } from '../../../../components/builder/size-charts.tsx';
import { buttonClass, linkClass, secondaryButtonClass } from '../../../../components/data-ui.tsx';
import { Badge, Card, EmptyState, PageHeader, ScrollTable, Td, Th } from '../../../../components/ui.tsx';
import { createFormatters } from '../../../../lib/format.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Saved segments' };

export default async function SavedSegmentsPage() {
  const { t, locale, session } = await requirePage('page:segments', '/saved-segments');
  const { pool, config } = await getServerContext();
  const segments = await listSavedSegments(pool, { userId: session.user.id, role: session.user.role });
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const canBuild = can(session.user.role, 'segments:build');
  return (
    <>
      <PageHeader title={t.builder.title} subtitle={t.builder.subtitle}>
        <div className="flex flex-wrap gap-2">
          {canBuild ? (
            <a className={buttonClass} href="/saved-segments/new" data-testid="new-segment">
              + {t.builder.newSegment}
            </a>
          ) : null}
          {segments.length >= 2 ? (
            <a className={secondaryButtonClass} href="/saved-segments/compare">
              ⇄ {t.builder.compare}
            </a>
          ) : null}
        </div>
      </PageHeader>
      {segments.length === 0 ? (
        <EmptyState>{canBuild ? t.builder.none : t.builder.noneReadOnly}</EmptyState>
      ) : (
        <Card>
          <ScrollTable>
            <thead>
              <tr>
                <Th>{t.builder.name}</Th>
                <Th>{t.builder.owner}</Th>
                <Th>{t.builder.kind}</Th>
                <Th className="text-right">{t.builder.size}</Th>
                <Th className="text-right">{t.builder.change}</Th>
                <Th>{t.builder.trend}</Th>
                <Th>{t.builder.updated}</Th>
              </tr>
            </thead>
            <tbody data-testid="saved-segment-rows">
              {segments.map((s) => {
                const [latest, previous] = s.recentSizes;
                const delta = latest?.customers != null && previous?.customers != null ? latest.customers - previous.customers : null;
                return (
                  <tr key={s.id} data-testid="saved-segment-row">
                    <Td className="max-w-[16rem] whitespace-normal">
                      <a className={linkClass} href={`/saved-segments/${s.id}`} data-testid="saved-segment-name">
                        {s.name}
                      </a>
                      {s.description ? <p className="truncate text-xs text-tremor-content">{s.description}</p> : null}
                    </Td>
                    <Td>{s.ownerName}</Td>
                    <Td>
                      <span className="flex gap-1">
                        <Badge colour={s.kind === 'static' ? 'amber' : 'blue'}>{t.builder.kinds[s.kind]}</Badge>
                        <Badge colour={s.shared ? 'green' : 'gray'}>{s.shared ? t.builder.shared : t.builder.private}</Badge>
                      </span>
                    </Td>
                    <Td className="text-right tabular-nums" data-testid="saved-segment-size">
                      {latest?.customers != null ? f.number(latest.customers) : <span className="text-tremor-content-subtle">{t.builder.notEvaluated}</span>}
                    </Td>
                    <Td className="text-right tabular-nums">
                      {delta === null ? '–' : delta === 0 ? '±0' : <span className={delta > 0 ? 'text-emerald-700' : 'text-red-700'}>{`${delta > 0 ? '+' : '−'}${f.number(Math.abs(delta))}`}</span>}
                    </Td>
                    <Td>
                      <SegmentSparkline sizes={[...s.recentSizes].reverse()} />
                    </Td>
                    <Td className="text-tremor-content">{f.date(s.updatedAt.slice(0, 10))}</Td>
                  </tr>
                );
              })}
            </tbody>
          </ScrollTable>
        </Card>
      )}
    </>
  );
}
