// The Reports area: the permission check runs here too, outside the loading boundary, so a refused
// page gets a real 403 status (see pipeline/layout.tsx); the tabs show the sub-pages the role may open.
import type { ReactNode } from 'react';
import { can, type Permission } from '../../../../lib/auth-roles.ts';
import { ReportTabs } from '../../../components/reports/report-tabs.tsx';
import { requirePage } from '../../../lib/server/session.ts';

export default async function Layout({ children }: { children: ReactNode }) {
  const { session, t } = await requirePage('reports:view', '/reports');
  const tabs: { href: string; label: string; permission: Permission }[] = [
    { href: '/reports', label: t.reports.tabs.preview, permission: 'reports:view' },
    { href: '/reports/subscriptions', label: t.reports.tabs.subscriptions, permission: 'reports:subscribe' },
    { href: '/reports/deliveries', label: t.reports.tabs.deliveries, permission: 'reports:deliveries' },
    { href: '/reports/outbox', label: t.reports.tabs.outbox, permission: 'reports:admin' },
  ];
  return (
    <>
      <ReportTabs tabs={tabs.filter((tab) => can(session.user.role, tab.permission)).map(({ href, label }) => ({ href, label }))} />
      {children}
    </>
  );
}
