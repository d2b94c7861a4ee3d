#!/usr/bin/env node
// `npx pulse …` from the project folder: run the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../cli/pulse.ts');
