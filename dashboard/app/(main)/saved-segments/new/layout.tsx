// Building needs `segments:build`: checked here, before anything streams, so a role without it gets a
// real 403 status rather than a 200 page saying so (the page checks again).
import type { ReactNode } from 'react';
import { requirePage } from '../../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('segments:build', '/saved-segments/new');
  return children;
}
