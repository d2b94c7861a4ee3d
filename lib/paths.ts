import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project folder (where package.json is), whatever the current directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
