// The permission check also runs here, outside the page's loading boundary, so a forbidden() gives
// the response a real 403 status (see admin/users/layout.tsx). The page checks again for its data.
import type { ReactNode } from 'react';
import { requirePage } from '../../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('users:manage', '/admin/sessions');
  return children;
}
