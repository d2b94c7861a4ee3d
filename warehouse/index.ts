export * from './duckdb.ts';
export * from './snapshots.ts';
export * from './staging-tables.ts';
export * from './work-db.ts';
