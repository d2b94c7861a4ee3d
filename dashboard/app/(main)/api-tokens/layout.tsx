// The permission check runs here too, before anything streams, so a role without api:tokens gets a
// real 403 status (see overview/layout.tsx).
import type { ReactNode } from 'react';
import { requirePage } from '../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage('api:tokens', '/api-tokens');
  return children;
}
