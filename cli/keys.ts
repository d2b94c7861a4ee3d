// `pulse keys rotate`: re-encrypts every stored secret under a new key (lib/key-rotation.ts).
import { cliActor } from '../lib/audit.ts';
import { rotateKeys } from '../lib/key-rotation.ts';
import type { CommandContext } from './context.ts';

export async function keysRotateCommand(ctx: CommandContext, options: { json?: boolean }): Promise<void> {
  const result = await rotateKeys(ctx.dbs.pool, ctx.config, cliActor());
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  if (result.resumed) console.log(`The key file held two keys: finished the rotation that was interrupted.`);
  console.log(
    `Re-encrypted ${result.reencrypted} of ${result.total} stored secrets under key ${result.currentKeyId} (${result.source})` +
      (result.fromKeyIds.length > 0 ? `; they were under ${result.fromKeyIds.join(', ')}.` : '; none needed it.'),
  );
  if (result.nextStep) console.log(result.nextStep);
}
