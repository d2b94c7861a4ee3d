export * from './duckdb.ts';
export * from './staging-tables.ts';
export * from './work-db.ts';
