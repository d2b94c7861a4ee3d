// Changing a saved segment (its owner or an admin, with segments:build): the builder, filled in.
import { forbidden, notFound } from 'next/navigation';
import { canEditSegment } from '../../../../../../lib/saved-segments.ts';
import { EmptyState, PageHeader } from '../../../../../components/ui.tsx';
import { SegmentBuilder } from '../../../../../components/builder/segment-builder.tsx';
import { getBuilderOptions, getVisibleSegment, parseSavedSegmentId } from '../../../../../lib/data/saved-segments.ts';
import { requirePage } from '../../../../../lib/server/session.ts';
import { NoSnapshotError } from '../../../../../lib/server/warehouse.ts';
import { operatorsByType, ruleTreeSchema, segmentFields } from '../../../../../../warehouse/index.ts';

export const metadata = { title: 'Edit segment' };

export default async function EditSegmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { t, session } = await requirePage('segments:build', `/saved-segments/${encodeURIComponent(raw)}/edit`);
  const id = parseSavedSegmentId(raw);
  if (id === null) notFound();
  const segment = await getVisibleSegment(id, session);
  if (!segment) notFound();
  if (!canEditSegment(segment, { userId: session.user.id, role: session.user.role })) forbidden();
  let options;
  try {
    options = await getBuilderOptions();
  } catch (error) {
    if (error instanceof NoSnapshotError) {
      return (
        <>
          <PageHeader title={t.builder.editTitle} />
          <EmptyState>{t.states.noSnapshot}</EmptyState>
        </>
      );
    }
    throw error;
  }
  // A stored definition that no longer parses opens as an empty tree rather than failing the page.
  const parsed = ruleTreeSchema.safeParse(segment.definition);
  const definition = parsed.success ? parsed.data : { type: 'group' as const, combinator: 'and' as const, rules: [] };
  return (
    <>
      <PageHeader title={t.builder.editTitle} subtitle={segment.name} />
      <SegmentBuilder
        fields={[...segmentFields]}
        operators={operatorsByType}
        options={options}
        currency={options.reportingCurrency}
        initial={{ id: segment.id, name: segment.name, description: segment.description, kind: segment.kind, shared: segment.shared, definition }}
      />
    </>
  );
}
