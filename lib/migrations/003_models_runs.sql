-- `pulse models run` re-runs transform, models and publish on the staged data without a sync.
ALTER TABLE pulse.pipeline_runs DROP CONSTRAINT IF EXISTS pipeline_runs_kind_check;
ALTER TABLE pulse.pipeline_runs ADD CONSTRAINT pipeline_runs_kind_check CHECK (kind IN ('full', 'incremental', 'models'));
