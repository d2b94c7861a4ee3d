// Backups (admins only): the schedule, folder, retention and which deployment key backups need, and
// the backups in the folder with their size, contents and whether their signed manifest checks out.
// Making, verifying and restoring backups is the command line's (`pulse backup`, `pulse restore`):
// a restore replaces the database, which a web page should not offer.
import { Badge, Card, EmptyState, Notice, PageHeader, ScrollTable, Subtle, Td, Th, Title } from '../../../../components/ui.tsx';
import { getBackupsOverview, type BackupListing } from '../../../../lib/data/backups.ts';
import { createFormatters } from '../../../../lib/format.ts';
import { fill } from '../../../../lib/i18n/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Backups' };

const stateColour: Record<BackupListing['state'], 'green' | 'gray' | 'amber' | 'red'> = {
  signed: 'green',
  unsigned: 'gray',
  other_key: 'amber',
  tampered: 'red',
  unreadable: 'red',
  unfinished: 'amber',
};

export default async function BackupsPage() {
  const { t, locale } = await requirePage('page:admin', '/admin/backups');
  const { config } = await getServerContext();
  const data = await getBackupsOverview();
  const b = t.backups.page;
  const f = createFormatters(locale, config.reportingCurrency, config.timeZone);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} MiB`;
  return (
    <>
      <PageHeader title={b.title} subtitle={b.subtitle} />
      <Card className="mb-4" data-testid="backup-settings">
        <Title>{b.settings}</Title>
        <dl className="mt-3 grid grid-cols-1 gap-x-4 gap-y-2 text-tremor-default sm:grid-cols-[auto_minmax(0,1fr)]">
          <dt className="text-tremor-content">{b.schedule}</dt>
          <dd className="break-words font-medium text-tremor-content-strong">{data.schedule ? fill(b.scheduleOn, data.schedule) : b.scheduleOff}</dd>
          <dt className="text-tremor-content">{b.folder}</dt>
          <dd className="break-all font-mono text-xs text-tremor-content-strong sm:text-tremor-default">{data.dir}</dd>
          <dt className="text-tremor-content">{b.keep}</dt>
          <dd className="text-tremor-content-strong">{fill(b.keepValue, { n: data.keep })}</dd>
          <dt className="text-tremor-content">{b.key}</dt>
          <dd className="break-all text-tremor-content-strong" data-testid="backup-key">
            {data.key ? (data.key.source === 'env' ? fill(b.keyEnv, { id: data.key.id }) : fill(b.keyFile, { file: data.key.file ?? '', id: data.key.id })) : b.keyNone}
          </dd>
        </dl>
        <Notice tone="warning" className="mt-4">
          {b.keyWarning}
        </Notice>
      </Card>
      <Card>
        <Title>{b.list}</Title>
        {data.backups.length === 0 ? (
          <div className="mt-3">
            <EmptyState>{b.empty}</EmptyState>
          </div>
        ) : (
          <ScrollTable className="mt-3">
            <thead>
              <tr>
                <Th>{b.name}</Th>
                <Th>{b.state}</Th>
                <Th>{b.created}</Th>
                <Th>{b.contents}</Th>
                <Th>{b.size}</Th>
              </tr>
            </thead>
            <tbody>
              {data.backups.map((backup) => (
                <tr key={backup.name} data-testid="backup-row" data-state={backup.state}>
                  <Td className="font-medium">{backup.name}</Td>
                  {/* Second, so a phone shows it without scrolling the table. */}
                  <Td>
                    <Badge colour={stateColour[backup.state]}>{b.states[backup.state]}</Badge>
                  </Td>
                  <Td>{f.dateTime(backup.createdAt)}</Td>
                  <Td>
                    {backup.createdAt ? fill(b.contentsValue, { tables: f.number(backup.tables), rows: f.number(backup.rows) }) : '–'}
                    {backup.warehouse ? <Badge className="ml-2">{b.snapshot}</Badge> : null}
                  </Td>
                  <Td className="tabular-nums">{backup.createdAt ? mib(backup.bytes) : '–'}</Td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )}
        <Subtle className="mt-3 text-xs">{b.howTo}</Subtle>
      </Card>
    </>
  );
}
