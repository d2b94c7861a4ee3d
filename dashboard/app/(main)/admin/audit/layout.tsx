// The permission check also runs here, outside the page's loading boundary: a forbidden() thrown
// before anything streams gives the response a real 403 status. The page checks again for its data.
import type { ReactNode } from 'react';
import { requirePage } from '../../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('audit:view', '/admin/audit');
  return children;
}
