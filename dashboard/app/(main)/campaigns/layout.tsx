// The permission check outside the loading boundary, for a real 403 status (see pipeline/layout.tsx).
import type { ReactNode } from 'react';
import { requirePage } from '../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('page:campaigns', '/campaigns');
  return children;
}
