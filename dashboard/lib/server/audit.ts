// The dashboard's audit entries (DESIGN.md: every export or unmasked view is written to the audit
// log): who, as which role, from which address, did what to how many customers' data.
import 'server-only';
import { headers } from 'next/headers';
import type { Session } from '../../../lib/auth.ts';
import { writeAudit, type AuditAction, type AuditActor, type AuditOutcome } from '../../../lib/audit.ts';
import { getServerContext } from './context.ts';

/**
 * The client's address as this server saw it: X-Forwarded-For, which Next.js fills with the socket's
 * address when no proxy did, and a proxy in front appends to. Kept whole ("client, proxy"): the
 * left-most part is what the client claimed, the right-most what the nearest proxy saw.
 */
export async function requestAddress(): Promise<string | null> {
  const forwarded = (await headers()).get('x-forwarded-for');
  return forwarded ? forwarded.slice(0, 200) : null;
}

/** The signed-in user as the actor of an audit entry, with the request's address. */
export async function sessionActor(session: Session): Promise<AuditActor> {
  return { userId: session.user.id, userEmail: session.user.email, role: session.user.role, address: await requestAddress() };
}

/** `rowCount`: how many customers' (or entries') data it covered; null when that means nothing (a job action). */
export async function audit(session: Session, action: AuditAction, target: string, rowCount: number | null, details: Record<string, unknown> = {}, outcome: AuditOutcome = 'success'): Promise<void> {
  const { pool } = await getServerContext();
  await writeAudit(pool, { ...(await sessionActor(session)), action, target, ...(rowCount === null ? {} : { rowCount }), details, outcome });
}
