import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildGatherSchema, printGatherSchema } from './schema.js';

/** Where the emitted schema lives: `<repo>/schema/schema.graphql`. */
export const schemaFile = fileURLToPath(new URL('../../../schema/schema.graphql', import.meta.url));

// `npm run schema`: writes schema/schema.graphql from the code.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaFile, printGatherSchema(await buildGatherSchema()));
  console.log(`wrote ${schemaFile}`);
}
