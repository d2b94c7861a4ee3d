export { runModelsNow, runPipelineNow, type PipelineContext } from './pipeline.ts';
export { createBoss, createQueues, requestSync, startWorker, stopBoss, type RunningWorker } from './registry.ts';
export { SYNC_QUEUE } from './sync.job.ts';
