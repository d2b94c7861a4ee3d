// Subscriptions: who gets which report when. Create, edit, pause, delete and "send now"; each shows
// its next run in its own time zone, computed the way the worker's scheduler reads its cron. The role
// list offers only roles the viewer may give (no permission they lack), and each report only where
// the chosen role may see it; the server checks both again.
import { can } from '../../../../../lib/auth-roles.ts';
import { checkReportAccess, REPORT_NAMES, rolesGrantableBy } from '../../../../../reports/index.ts';
import { segmentLabel } from '../../../../components/data-ui.tsx';
import { SubscriptionManager } from '../../../../components/reports/subscription-manager.tsx';
import { PageHeader } from '../../../../components/ui.tsx';
import { getSegments } from '../../../../lib/data/segments.ts';
import { listSubscriptionViews } from '../../../../lib/data/subscriptions.ts';
import { getServerContext } from '../../../../lib/server/context.ts';
import { requirePage } from '../../../../lib/server/session.ts';

export const metadata = { title: 'Report subscriptions' };

export default async function SubscriptionsPage() {
  const { t, locale, session } = await requirePage('reports:subscribe', '/reports/subscriptions');
  const { config } = await getServerContext();
  const subscriptions = await listSubscriptionViews(session.user.role);
  const roles = rolesGrantableBy(session.user.role);
  const reportsByRole = Object.fromEntries(roles.map((role) => [role, REPORT_NAMES.filter((name) => !checkReportAccess(name, role))]));
  const segments = await getSegments()
    .then((data) => data.segments.map((s) => ({ id: s.id, name: segmentLabel(locale, s) })))
    .catch(() => []);
  return (
    <>
      <PageHeader title={t.reports.subscriptions.title} subtitle={t.reports.subscriptions.subtitle} />
      <SubscriptionManager
        subscriptions={subscriptions}
        roles={roles}
        defaultRole={session.user.role}
        reportsByRole={reportsByRole}
        segments={segments}
        defaultTimeZone={config.timeZone}
        showDeliveries={can(session.user.role, 'reports:deliveries')}
      />
    </>
  );
}
