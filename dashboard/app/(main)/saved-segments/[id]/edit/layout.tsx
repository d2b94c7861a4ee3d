// Changing a segment needs `segments:build` and being its owner (or an admin): checked here, before
// anything streams, so anyone else gets a real 403 (or 404) status (the page checks again).
import { forbidden, notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { canEditSegment } from '../../../../../../lib/saved-segments.ts';
import { getVisibleSegment, parseSavedSegmentId } from '../../../../../lib/data/saved-segments.ts';
import { requirePage } from '../../../../../lib/server/session.ts';

export default async function Layout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const { session } = await requirePage('segments:build', `/saved-segments/${encodeURIComponent(raw)}/edit`);
  const id = parseSavedSegmentId(raw);
  const segment = id === null ? null : await getVisibleSegment(id, session);
  if (!segment) notFound();
  if (!canEditSegment(segment, { userId: session.user.id, role: session.user.role })) forbidden();
  return children;
}
