import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SchemaObject } from '@nestjs/swagger';

const SCHEMAS_FILE = 'contracts/api.schemas.json';

/**
 * JSON Schemas of contracts/api.ts, written by scripts/build-contract-schemas.mjs next to the compiled contracts
 * (dist/server/contracts/). Sources run by tests in-process read the last build's file (docs/openapi.md).
 */
export function loadContractSchemas(): Record<string, SchemaObject> {
  const candidates = [
    join(__dirname, '..', '..', '..', SCHEMAS_FILE),
    join(process.cwd(), 'dist', 'server', SCHEMAS_FILE),
  ];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`${SCHEMAS_FILE} is missing: build the server (npm run build:server)`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, SchemaObject>;
}

/** The product's version, from the nearest package.json (the document's info.version). */
export function productVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'courseloom' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}
