// Names and shared options of the pipeline's queues. Each stage retries with backoff; a job that keeps
// failing lands in the dead-letter queue, where `pulse status` shows it. Heartbeats let a job whose
// worker died be retried without waiting for its expiry.
import type { Queue } from 'pg-boss';

import { DEAD_LETTER_QUEUE } from '../lib/queue-names.ts';

export { DEAD_LETTER_QUEUE };

export function stageQueueOptions(heartbeatSeconds: number): Omit<Queue, 'name'> {
  return {
    retryLimit: 4,
    retryDelay: 15,
    retryBackoff: true,
    retryDelayMax: 600,
    expireInSeconds: 4 * 3600,
    heartbeatSeconds,
    deadLetter: DEAD_LETTER_QUEUE,
  };
}
