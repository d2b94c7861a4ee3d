// The permission check runs here too, before anything streams, so a forbidden role gets a real 403
// status (see overview/layout.tsx). The pages check again for their own data (building needs more).
import type { ReactNode } from 'react';
import { requirePage } from '../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('page:segments', '/saved-segments');
  return children;
}
