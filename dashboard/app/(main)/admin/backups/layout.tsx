// The permission check runs here, outside the page's loading boundary, so a forbidden() gives the
// response a real 403 status (as for the Users page).
import type { ReactNode } from 'react';
import { requirePage } from '../../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('page:admin', '/admin/backups');
  return children;
}
