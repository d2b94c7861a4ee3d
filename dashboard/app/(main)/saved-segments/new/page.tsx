// A new segment from rules (segments:build): the builder with the pickers' values from the snapshot.
import { EmptyState, PageHeader } from '../../../../components/ui.tsx';
import { SegmentBuilder } from '../../../../components/builder/segment-builder.tsx';
import { getBuilderOptions } from '../../../../lib/data/saved-segments.ts';
import { requirePage } from '../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../lib/server/warehouse.ts';
import { operatorsByType, segmentFields } from '../../../../../warehouse/index.ts';

export const metadata = { title: 'New segment' };

export default async function NewSegmentPage() {
  const { t } = await requirePage('segments:build', '/saved-segments/new');
  let options;
  try {
    options = await getBuilderOptions();
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={t.builder.builderTitle} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    throw error;
  }
  return (
    <>
      <PageHeader title={t.builder.builderTitle} subtitle={t.builder.builderSubtitle} />
      <SegmentBuilder fields={[...segmentFields]} operators={operatorsByType} options={options} currency={options.reportingCurrency} />
    </>
  );
}
