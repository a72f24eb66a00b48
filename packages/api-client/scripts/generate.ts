import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { API_TYPES_FILE, generateApiTypes } from '../src/generate-types';

/** Writes the API's types from its OpenAPI document; run after changing a route, a DTO or an example. */
async function run(): Promise<void> {
  writeFileSync(API_TYPES_FILE, await generateApiTypes());
  console.log(`wrote ${relative(process.cwd(), API_TYPES_FILE)}`);
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
