// Writing the audit log (pulse.audit_log, lib/migrations/004_audit.sql, 006 and 008): security events,
// exports of customer data and views of unmasked personal data. One small function so every caller
// records the same fields. The database chains each entry to the one before (hash, prev_hash) and
// refuses updates and deletes (008_audit_chain.sql; `pulse audit verify` checks the chain).
//
// Inside a caller's transaction (pass its client), the entry commits or rolls back with the change
// it records; the chain head stays locked until then, so keep such transactions short.
import os from 'node:os';
import type pg from 'pg';

export const auditActions = [
  // Accounts
  'sign_in',
  'sign_out',
  'mfa_enrol',
  'mfa_disable',
  'mfa_reset',
  'mfa_recovery_used',
  'password_change',
  'password_reset_request',
  'password_reset',
  'user_create',
  'user_invite',
  'user_disable',
  'user_enable',
  'role_change',
  'session_revoke',
  'settings_change',
  // Data
  'export',
  'pii_view',
  // Operations
  'subscription_change',
  'report_send',
  'delivery_retry',
  'job_action',
  'api_token_change',
  'segment_change',
  'campaign_link',
  'backup',
  'restore',
  'key_rotate',
  'audit_export',
] as const;
export type AuditAction = (typeof auditActions)[number];

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  /** Null when nobody is signed in (e.g. a failed sign-in) or the CLI acted. */
  userId: number | null;
  /** The signed-in user's e-mail, the address typed at a failed sign-in, or 'cli:<OS account>' (cliActor). */
  userEmail: string;
  /** The actor's role; '' when there is none. */
  role: string;
  action: AuditAction;
  /** What it was about: 'segment:3', 'customer:42', 'user:7', 'search'. */
  target: string;
  rowCount?: number;
  details?: Record<string, unknown>;
  /** Default 'success'. */
  outcome?: AuditOutcome;
  /** The client's IP address, when the action came over HTTP. */
  address?: string | null;
}

/** Who acted: the part of an entry that is the same for everything one user or command does. */
export type AuditActor = Pick<AuditEntry, 'userId' | 'userEmail' | 'role' | 'address'>;

/** The actor for a `pulse` command run in a terminal: no Pulse user; `cli:<operating-system account>`. */
export function cliActor(): AuditActor {
  let osUser = 'unknown';
  try {
    osUser = os.userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the entry still says it came from the CLI.
  }
  return { userId: null, userEmail: `cli:${osUser}`, role: '', address: null };
}

export async function writeAudit(pool: pg.Pool | pg.ClientBase, entry: AuditEntry): Promise<void> {
  await writeAuditEntries(pool, [entry]);
}

/** Several entries in one statement (one transaction unless `pool` is a client inside one), chained in this order. */
export async function writeAuditEntries(pool: pg.Pool | pg.ClientBase, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const columns = 9;
  const rows = entries.map((_, i) => `(${Array.from({ length: columns }, (__, c) => `$${i * columns + c + 1}`).join(', ')})`);
  await pool.query(
    `INSERT INTO pulse.audit_log (user_id, user_email, role, action, target, row_count, details, outcome, address) VALUES ${rows.join(', ')}`,
    entries.flatMap((entry) => [
      entry.userId,
      entry.userEmail,
      entry.role,
      entry.action,
      entry.target,
      entry.rowCount ?? null,
      JSON.stringify(entry.details ?? {}),
      entry.outcome ?? 'success',
      entry.address ?? null,
    ]),
  );
}
