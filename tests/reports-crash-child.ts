// Run as a separate process by tests/reports-delivery.test.ts: delivers one report slot and kills
// itself (SIGKILL: no cleanup, no finally) at the stage named on the command line, as a worker that
// dies there would. Arguments: databaseUrl dataDir smtpPort stage targetJson fontSpec.
import { createPool } from '../lib/pg-pool.ts';
import { createLogger } from '../lib/log.ts';
import { createPersonalDataSource, createSmtpTransport, deliverSlot, resolveCjkFont, type DeliveryTarget } from '../reports/index.ts';

const [databaseUrl, dataDir, smtpPort, stage, targetJson] = process.argv.slice(2) as [string, string, string, string, string];
const pool = createPool(databaseUrl, 3);
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
await deliverSlot(
  {
    pool,
    log: createLogger('silent'),
    transport: createSmtpTransport(`smtp://127.0.0.1:${smtpPort}`, { ignoreTLS: true }),
    env: { dataDir, personal: createPersonalDataSource(pool), font: resolveCjkFont() },
    retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
    hooks: {
      afterRender: () => {
        if (stage === 'after-render') die();
      },
      afterSend: () => {
        if (stage === 'after-send') die();
      },
    },
  },
  JSON.parse(targetJson) as DeliveryTarget,
);
await pool.end();
process.stdout.write('done');
