// The dashboard's audit entries (DESIGN.md: every export or unmasked view is written to the audit
// log): who, as which role, from which address, did what to how many customers' data.
import 'server-only';
import { headers } from 'next/headers';
import type pg from 'pg';
import type { Session } from '../../../lib/auth.ts';
import type { AuditAction, AuditActor, AuditOutcome } from '../../../lib/audit.ts';
import { AuditBatchWriter } from '../../../lib/audit-batch.ts';
import { clientAddress } from './client-address.ts';
import { getServerContext } from './context.ts';

/**
 * The client's address, the same one sign-in throttling uses (client-address.ts): the socket's
 * address, or behind a trusted proxy (PULSE_TRUST_PROXY=1) the entry that proxy added. Not the
 * X-Forwarded-For a client may send itself, which `next start` passes on unchecked.
 */
export async function requestAddress(): Promise<string | null> {
  const { config } = await getServerContext();
  return clientAddress(await headers(), config.trustProxy);
}

/** The signed-in user as the actor of an audit entry, with the request's address. */
export async function sessionActor(session: Session): Promise<AuditActor> {
  return { userId: session.user.id, userEmail: session.user.email, role: session.user.role, address: await requestAddress() };
}

// One writer per server process (on globalThis: Next.js may load this module once per route bundle),
// so concurrent requests' entries share transactions (lib/audit-batch.ts).
const holder = globalThis as typeof globalThis & { __pulseAuditWriter?: { pool: pg.Pool; writer: AuditBatchWriter } };

/**
 * `rowCount`: how many customers' (or entries') data it covered; null when that means nothing (a job
 * action). Resolves once the entry is committed.
 */
export async function audit(session: Session, action: AuditAction, target: string, rowCount: number | null, details: Record<string, unknown> = {}, outcome: AuditOutcome = 'success'): Promise<void> {
  const { pool } = await getServerContext();
  if (holder.__pulseAuditWriter?.pool !== pool) holder.__pulseAuditWriter = { pool, writer: new AuditBatchWriter(pool) };
  await holder.__pulseAuditWriter.writer.write({ ...(await sessionActor(session)), action, target, ...(rowCount === null ? {} : { rowCount }), details, outcome });
}
