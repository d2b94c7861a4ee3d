// Roles and the ONE permission table (DESIGN.md: authorisation from one table). Pure data and
// functions, no I/O: the dashboard's server checks, the CLI (`pulse user add --role`) and the tests
// all read this table, and client components may import it to hide buttons (hiding is cosmetic;
// the server check is what protects).

export const roles = ['admin', 'manager', 'marketer', 'executive', 'analyst'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'page:overview',
  'page:segments',
  'page:churn',
  'page:customers',
  'page:retention',
  'page:pipeline',
  'page:admin',
  /** Campaign results: audience, funnel, attributed revenue and lift against the holdout. */
  'page:campaigns',
  /** Download customer lists (CSV/XLSX). */
  'data:export',
  /** See e-mail addresses and phone numbers unmasked. */
  'pii:unmasked',
  /** Queue or retry pipeline runs. */
  'jobs:run',
  /** Create, change and disable users. */
  'users:manage',
  /** Change one's own password and two-step sign-in (every signed-in user). */
  'account:self',
  /** Preview and download reports (each report also needs the permissions in reports/report-definitions.ts). */
  'reports:view',
  /** Create, change, pause, delete and "send now" report subscriptions. */
  'reports:subscribe',
  /** Read the delivery log of e-mailed reports. */
  'reports:deliveries',
  /** Retry a failed delivery and read the local mail capture (outbox) with its attachments. */
  'reports:admin',
  /** Browse and export the audit log. */
  'audit:view',
  /** Build segments from rules and save, change or delete them. */
  'segments:build',
  /** Create and revoke one's own tokens for the public segment API (/api/v1). */
  'api:tokens',
] as const;
export type Permission = (typeof permissions)[number];

const all: readonly Role[] = roles;

/** Who may do what. A permission missing a role here is denied to that role. */
export const permissionTable: Record<Permission, readonly Role[]> = {
  'page:overview': all,
  'page:segments': all,
  'page:churn': all,
  'page:customers': ['admin', 'manager', 'marketer', 'analyst', 'executive'],
  'page:retention': all,
  'page:pipeline': ['admin', 'manager', 'analyst'],
  'page:admin': ['admin'],
  'page:campaigns': all,
  'data:export': ['admin', 'manager', 'marketer', 'analyst'],
  'pii:unmasked': ['admin', 'manager'],
  'jobs:run': ['admin'],
  'users:manage': ['admin'],
  'account:self': all,
  'reports:view': all,
  'reports:subscribe': ['admin', 'manager', 'marketer'],
  'reports:deliveries': ['admin', 'manager', 'marketer'],
  'reports:admin': ['admin'],
  'audit:view': ['admin'],
  'segments:build': ['admin', 'manager', 'marketer', 'analyst'],
  'api:tokens': ['admin', 'manager', 'marketer', 'analyst'],
};

export function can(role: Role, permission: Permission): boolean {
  return permissionTable[permission].includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** `ann.lee@example.com` → `a•••@example.com`. Keeps the domain, which tells a marketer the provider. */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return email ?? null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** `+86 138 0013 8000` → `+86 •••• 8000`: the country code and last four digits only. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return '••••';
  const country = phone.trim().startsWith('+') ? (phone.trim().match(/^\+\d{1,3}/)?.[0] ?? '') : '';
  return `${country ? `${country} ` : ''}•••• ${digits.slice(-4)}`;
}
