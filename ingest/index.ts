export { loadMapping, parseMapping, type SourceMapping, type TableMapping } from './mapping.ts';
export { syncTables, type SyncMode, type SyncOptions, type TableProgress, type TableSyncResult } from './sync.ts';
export { isSourceEmpty, seedDemoData, type SeedOptions, type SeedResult } from './seed/index.ts';
