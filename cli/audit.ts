// `pulse audit verify`: walks the audit log's hash chain (lib/audit-chain.ts) and names the first
// entry that was altered or deleted. Exit code 1 on a break, so a cron job or CI step can alert.
import { verifyAuditChain } from '../lib/audit-chain.ts';
import type { CommandContext } from './context.ts';

export async function auditVerifyCommand(ctx: CommandContext, options: { json?: boolean }): Promise<void> {
  const result = await verifyAuditChain(ctx.dbs.pool);
  if (!result.ok) process.exitCode = 1;
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const head = result.head ? `head #${result.head.id} ${result.head.hash}` : 'no chain head';
  if (result.ok) {
    console.log(`Audit log intact: ${result.entries.toLocaleString('en')} entries, ${head} (checked in ${result.seconds.toFixed(2)} s).`);
    console.log('Keep the head hash somewhere else: a later check that prints a different hash for the same entry means the log was rewritten.');
  } else {
    console.log(`Audit log BROKEN: ${result.firstBreak!.message}`);
    console.log(`Checked ${result.entries.toLocaleString('en')} entries up to the break; ${head}.`);
  }
}
