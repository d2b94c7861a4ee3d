// Queue names shared by the worker (jobs/) and the dashboard's retry button, which must not import
// the pipeline itself (DESIGN.md folder rules).
export const SYNC_QUEUE = 'pulse.sync';
export const TRANSFORM_QUEUE = 'pulse.transform';
export const MODELS_QUEUE = 'pulse.models';
export const PUBLISH_QUEUE = 'pulse.publish';
export const DEAD_LETTER_QUEUE = 'pulse.dead-letter';
/** Scheduled report deliveries: one cron schedule per active subscription (key = subscription id). */
export const REPORT_QUEUE = 'pulse.report';
