// JSON Schemas of the HTTP contract (contracts/api.ts), generated at build time for the OpenAPI document
// (docs/openapi.md): the response interfaces are described once, in TypeScript, and never by hand again.
// Usage: node scripts/build-contract-schemas.mjs [out]   (default: dist/server/contracts/api.schemas.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const OUT = process.argv[2] ?? 'dist/server/contracts/api.schemas.json';

/** `Page<CourseSummary>` → `Page_CourseSummary`: OpenAPI component names allow only `[A-Za-z0-9._-]`. */
function componentName(name) {
  return decodeURIComponent(name)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const generated = createGenerator({
  path: 'contracts/api.ts',
  tsconfig: 'tsconfig.server.json',
  type: '*',
  expose: 'export',
  topRef: true,
  jsDoc: 'extended',
  skipTypeCheck: true, // `npm run typecheck` and nest build check the file already
  additionalProperties: false,
}).createSchema('*');

const schemas = {};
for (const [name, schema] of Object.entries(generated.definitions ?? {}))
  schemas[componentName(name)] = schema;
const json = JSON.stringify(schemas, null, 2).replace(
  /"\$ref": "#\/definitions\/([^"]+)"/g,
  (_, ref) => `"$ref": "#/components/schemas/${componentName(ref)}"`,
);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, json + '\n');
console.log(`Contract schemas: ${Object.keys(schemas).length} types → ${OUT}`);
