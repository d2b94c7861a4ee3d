// Reports: each report previewed as the very PDF that is e-mailed (an <iframe> of the report file
// route), with its period, segment and language chosen here, and downloads of the PDF and the Excel
// workbook (the workbook only where the role may have it). Figures follow the viewer's role.
import { ReportPreview } from '../../../../components/reports/report-preview.tsx';
import { EmptyState, PageHeader } from '../../../../components/ui.tsx';
import { reportsForRole } from '../../../../lib/data/report-files.ts';
import { getSegments } from '../../../../lib/data/segments.ts';
import { segmentLabel } from '../../../../components/data-ui.tsx';
import { getPublishedSnapshot } from '../../../../../warehouse/index.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Reports' };

export default async function ReportsPage() {
  const { t, locale, session } = await requirePage('reports:view', '/reports');
  const choices = reportsForRole(session.user.role);
  const { config } = await getServerContext();
  const header = <PageHeader title={t.reports.title} subtitle={t.reports.subtitle} />;
  if (choices.length === 0) {
    return (
      <>
        {header}
        <EmptyState>{t.reports.none}</EmptyState>
      </>
    );
  }
  if (!getPublishedSnapshot(config.dataDir)) {
    return (
      <>
        {header}
        <EmptyState>{t.states.noSnapshot}</EmptyState>
      </>
    );
  }
  // The segment report needs segments; before the first segmentation run there are none.
  const segments = await getSegments()
    .then((data) => data.segments.map((s) => ({ id: s.id, name: segmentLabel(locale, s) })))
    .catch(() => []);
  return (
    <>
      {header}
      <ReportPreview choices={choices} segments={segments} roleLabel={t.roles[session.user.role]} />
    </>
  );
}
