export { runModelsNow, runPipelineNow, type PipelineContext } from './pipeline.ts';
export { createBoss, createQueues, requestSync, startWorker, stopBoss } from './registry.ts';
export { SYNC_QUEUE } from './sync.job.ts';
