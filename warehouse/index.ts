export * from './duckdb.ts';
export * from './snapshots.ts';
export * from './staging-tables.ts';
export * from './work-db.ts';
export * from './marts/build-marts.ts';
export { INTERACTION_CHANNELS, LAPSE_DAYS, RECENT_DAYS, indexCustomer360 } from './marts/mart.queries.ts';
export { DEFAULT_ATTRIBUTION_DAYS } from './marts/campaign.queries.ts';
export * from './metrics/metric-definitions.ts';
export {
  BadQueryError,
  COMPARE_TO,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  MAX_RANGE_DAYS,
  addDays,
  daysBetween,
  isCalendarDate,
  parseMetricQuery,
  subtractYear,
  type CompareTo,
  type FilterValue,
  type MetricQuery,
  type ParseResult,
  type ValidatedMetricQuery,
} from './metrics/metric-query.schema.ts';
export * from './metrics/query-metrics.ts';
export * from './segments/segment-rules.ts';
export * from './segments/evaluate-segment.ts';
export { memberColumnKind, memberColumns, profileMeasures, type MemberColumn, type MemberColumnKind, type ProfileMeasure } from './segments/segment.queries.ts';
