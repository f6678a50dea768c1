// Writes scenario.schema.json (the JSON Schema of a scenario file, for editors) from src/scenario/schema.ts.
// `npm run schema` after changing the format; test/scenario/schema.test.ts fails while the two differ.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenario/schema.js';

/** The repository root: this file is compiled to dist/scripts/. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(root, 'scenario.schema.json');
writeFileSync(target, scenarioJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
