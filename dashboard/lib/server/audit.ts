// The dashboard's audit entries (DESIGN.md: every export or unmasked view is written to the audit
// log): who, as which role, saw or downloaded how many customers' personal data.
import 'server-only';
import type { Session } from '../../../lib/auth.ts';
import { writeAudit, type AuditAction } from '../../../lib/audit.ts';
import { getServerContext } from './context.ts';

export async function audit(session: Session, action: AuditAction, target: string, rowCount: number, details: Record<string, unknown> = {}): Promise<void> {
  const { pool } = await getServerContext();
  await writeAudit(pool, { userId: session.user.id, userEmail: session.user.email, role: session.user.role, action, target, rowCount, details });
}
