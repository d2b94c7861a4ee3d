// The permission check also runs here, outside the page's loading boundary: a forbidden() thrown
// before anything streams gives the response a real 403 status (inside the page, after the loading
// skeleton has been sent, the status would already be 200). The page checks again for its own data.
import type { ReactNode } from 'react';
import { requirePage } from '../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('page:pipeline', '/pipeline');
  return children;
}
