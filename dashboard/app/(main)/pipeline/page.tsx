// Pipeline: recent runs with their state, live progress while running, per-table counts and checksum
// comparison, errors, and (for roles with `jobs:run`) a button that queues a new run.
import { can } from '../../../../lib/auth-roles.ts';
import { LiveRefresh } from '../../../components/pipeline/live-refresh.tsx';
import { RetryButton } from '../../../components/pipeline/retry-button.tsx';
import { Badge, Card, EmptyState, Notice, PageHeader, ScrollTable, Td, Th, Title } from '../../../components/ui.tsx';
import { getPipelineStatus } from '../../../lib/data/pipeline.ts';
import { createFormatters } from '../../../lib/format.ts';
import { fill } from '../../../lib/i18n/index.ts';
import { getServerContext } from '../../../lib/server/context.ts';
import { requirePage } from '../../../lib/server/session.ts';

export const metadata = { title: 'Pipeline' };

export default async function PipelinePage() {
  const { t, locale, session } = await requirePage('page:pipeline', '/pipeline');
  const { config } = await getServerContext();
  const status = await getPipelineStatus();
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const running = status.runs.some((r) => r.state === 'running');

  return (
    <>
      <PageHeader title={t.pipeline.title} subtitle={t.pipeline.subtitle}>
        <div className="flex flex-wrap items-center gap-3">
          {can(session.user.role, 'jobs:run') ? <RetryButton /> : null}
          <LiveRefresh active={running} label={t.pipeline.live} />
        </div>
      </PageHeader>

      {status.deadLetters > 0 ? (
        <Notice tone="error" className="mb-4">
          {fill(t.pipeline.deadLetters, { count: status.deadLetters })}
        </Notice>
      ) : null}

      <Card className="mb-4">
        <Title>{t.pipeline.snapshot}</Title>
        {status.snapshot ? (
          <>
            <p className="mt-1 text-tremor-default text-tremor-content">
              {fill(t.pipeline.snapshotInfo, { run: status.snapshot.runId, time: f.dateTime(status.snapshot.publishedAt) })}
            </p>
            <div className="mt-3 flex flex-wrap gap-2">
              {Object.entries(status.snapshot.tables).map(([name, count]) => (
                <Badge key={name}>
                  {name}: <span className="tabular-nums">{f.number(count)}</span>
                </Badge>
              ))}
            </div>
          </>
        ) : (
          <p className="mt-1 text-tremor-default text-tremor-content">{t.pipeline.noSnapshot}</p>
        )}
      </Card>

      <Title className="mb-2">{t.pipeline.runs}</Title>
      {status.runs.length === 0 ? <EmptyState>{t.pipeline.noRuns}</EmptyState> : null}
      <div className="flex flex-col gap-3" data-testid="runs">
        {status.runs.map((run, index) => {
          const seconds = run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : null;
          return (
            <Card key={run.id} data-testid="run" data-state={run.state}>
              <details open={index === 0 || run.state !== 'succeeded'}>
                <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 text-tremor-default">
                  <span className="font-semibold text-tremor-content-strong">
                    {t.pipeline.run} #{run.id}
                  </span>
                  <Badge colour={run.state === 'succeeded' ? 'green' : run.state === 'failed' ? 'red' : 'blue'}>
                    {t.pipeline.state[run.state] ?? run.state}
                    {run.state === 'running' && run.stage ? ` · ${t.pipeline.stage[run.stage] ?? run.stage}` : ''}
                  </Badge>
                  <span className="text-tremor-content">{t.pipeline.kind[run.kind] ?? run.kind}</span>
                  <span className="text-tremor-content">{f.dateTime(run.startedAt)}</span>
                  {seconds !== null ? <span className="text-tremor-content">{f.duration(seconds)}</span> : null}
                  <span className="text-tremor-content-subtle">{run.trigger}</span>
                </summary>
                {run.error ? (
                  <Notice tone="error" className="mt-3 whitespace-pre-wrap break-words">
                    {t.pipeline.error}: {run.error}
                  </Notice>
                ) : null}
                {run.tables.length > 0 ? (
                  <ScrollTable className="mt-3">
                    <thead>
                      <tr>
                        <Th>{t.pipeline.table}</Th>
                        <Th>{t.pipeline.mode}</Th>
                        <Th className="text-right">{t.pipeline.rows}</Th>
                        <Th className="text-right">{t.pipeline.source}</Th>
                        <Th className="text-right">{t.pipeline.warehouse}</Th>
                        <Th>{t.pipeline.checksum}</Th>
                      </tr>
                    </thead>
                    <tbody>
                      {run.tables.map((table) => {
                        const progress = table.rowsExpected ? Math.min(1, table.rowsDone / table.rowsExpected) : null;
                        return (
                          <tr key={table.table}>
                            <Td className="font-medium">{table.table}</Td>
                            <Td>{t.pipeline.kind[table.mode] ?? table.mode}</Td>
                            <Td className="text-right tabular-nums">
                              {f.number(table.rowsDone)}
                              {run.state === 'running' && table.checksumMatch === null && progress !== null ? (
                                <span className="ml-2 inline-block h-1.5 w-16 rounded-full bg-tremor-background-subtle align-middle">
                                  <span className="block h-1.5 rounded-full bg-blue-500" style={{ width: `${Math.round(progress * 100)}%` }} />
                                </span>
                              ) : null}
                            </Td>
                            <Td className="text-right tabular-nums">{f.number(table.sourceCount)}</Td>
                            <Td className="text-right tabular-nums">{f.number(table.warehouseCount)}</Td>
                            <Td>
                              {table.checksumMatch === null ? (
                                <Badge>{t.pipeline.pending}</Badge>
                              ) : table.checksumMatch ? (
                                <Badge colour="green">✓ {t.pipeline.match}</Badge>
                              ) : (
                                <Badge colour="red">✗ {t.pipeline.mismatch}</Badge>
                              )}
                            </Td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </ScrollTable>
                ) : null}
              </details>
            </Card>
          );
        })}
      </div>
    </>
  );
}
