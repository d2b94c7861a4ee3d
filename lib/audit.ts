// Writing the audit log (pulse.audit_log, lib/migrations/004_audit.sql): exports of customer data
// and views of unmasked personal data. One small function so every caller records the same fields.
import type pg from 'pg';

export type AuditAction = 'export' | 'pii_view';

export interface AuditEntry {
  userId: number | null;
  userEmail: string;
  role: string;
  action: AuditAction;
  /** What it was about: 'segment:3', 'customer:42', 'search'. */
  target: string;
  rowCount?: number;
  details?: Record<string, unknown>;
}

export async function writeAudit(pool: pg.Pool | pg.ClientBase, entry: AuditEntry): Promise<void> {
  await pool.query('INSERT INTO pulse.audit_log (user_id, user_email, role, action, target, row_count, details) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    entry.userId,
    entry.userEmail,
    entry.role,
    entry.action,
    entry.target,
    entry.rowCount ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}
