// The reports Pulse sends, and which permissions of the one permission table (lib/auth-roles.ts)
// a role needs to receive each. A subscription's role decides what its recipients may see, so a
// subscription to a report the role may not see is refused when it is saved, and again when it runs.
import { can, permissions, roles, type Permission, type Role } from '../lib/auth-roles.ts';

export const REPORT_NAMES = ['executive', 'segment', 'sales', 'service'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const FORMATS = ['pdf', 'xlsx'] as const;
export type ReportFormat = (typeof FORMATS)[number];

/**
 * What each report shows, as permissions the dashboard already checks for the same data: the
 * executive summary is the overview plus the churn page; the segment report lists a segment's
 * customers, which is an export (data:export); sales and service read customer-level records.
 */
export const REPORT_PERMISSIONS: Record<ReportName, readonly Permission[]> = {
  executive: ['page:overview', 'page:churn', 'page:segments'],
  segment: ['page:segments', 'page:customers', 'data:export'],
  sales: ['page:overview', 'page:customers'],
  service: ['page:overview', 'page:customers'],
};

/**
 * Reports whose workbook lists customers (the executive watchlist; the segment's watchlist and
 * members): downloading that XLSX from the dashboard is an export, for roles with `data:export`.
 */
export const REPORTS_LISTING_CUSTOMERS: readonly ReportName[] = ['executive', 'segment'];

export function isReportName(value: unknown): value is ReportName {
  return typeof value === 'string' && (REPORT_NAMES as readonly string[]).includes(value);
}

/** The permissions `role` lacks for `report` (empty: allowed). */
export function missingReportPermissions(report: ReportName, role: Role): Permission[] {
  return REPORT_PERMISSIONS[report].filter((permission) => !can(role, permission));
}

/**
 * The roles a person with `role` may give a subscription: those with no permission `role` lacks.
 * A subscription's role decides what its recipients see (unmasked personal data, exports), so
 * choosing a stronger role would hand recipients more than the person may see themselves.
 */
export function rolesGrantableBy(role: Role): Role[] {
  return roles.filter((candidate) => permissions.every((p) => !can(candidate, p) || can(role, p)));
}

export const MIME_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
