// The demo data generator's public surface.
export { FINISHING_STEP, isSourceEmpty, seedDemoData, type SeedOptions, type SeedProgress, type SeedResult } from './seed.ts';
