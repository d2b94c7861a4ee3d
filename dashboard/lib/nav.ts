// The pages in the navigation and the permission each needs (from the one table in lib/auth-roles.ts).
import type { Permission } from '../../lib/auth-roles.ts';
import type { Dictionary } from './i18n/index.ts';

export interface PageEntry {
  href: string;
  permission: Permission;
  label: (t: Dictionary) => string;
  icon: string;
}

export const pages: PageEntry[] = [
  { href: '/overview', permission: 'page:overview', label: (t) => t.nav.overview, icon: '◔' },
  { href: '/customers', permission: 'page:customers', label: (t) => t.nav.customers, icon: '☺' },
  { href: '/segments', permission: 'page:segments', label: (t) => t.nav.segments, icon: '◫' },
  { href: '/saved-segments', permission: 'page:segments', label: (t) => t.builder.nav, icon: '⊕' },
  { href: '/churn', permission: 'page:churn', label: (t) => t.nav.churn, icon: '⚠' },
  { href: '/retention', permission: 'page:retention', label: (t) => t.nav.retention, icon: '↻' },
  { href: '/campaigns', permission: 'page:campaigns', label: (t) => t.campaigns.nav, icon: '✦' },
  { href: '/reports', permission: 'reports:view', label: (t) => t.reports.nav, icon: '✉' },
  { href: '/pipeline', permission: 'page:pipeline', label: (t) => t.nav.pipeline, icon: '⇄' },
  { href: '/api-tokens', permission: 'api:tokens', label: (t) => t.builder.api.nav, icon: '↧' },
  { href: '/admin/users', permission: 'page:admin', label: (t) => t.nav.users, icon: '⚙' },
  { href: '/admin/sessions', permission: 'users:manage', label: (t) => t.accounts.nav.sessions, icon: '⌁' },
  { href: '/account', permission: 'account:self', label: (t) => t.accounts.nav.account, icon: '☖' },
  { href: '/admin/audit', permission: 'audit:view', label: (t) => t.security.nav, icon: '≣' },
  { href: '/admin/backups', permission: 'page:admin', label: (t) => t.backups.nav, icon: '⛁' },
];
