// The bundled schema tables (server/src/schema/generated) are what scripts/gen-schema-tables.mjs
// makes now, from the test API server's OpenAPI and the Flux and Argo CD CRDs of the Go modules
// versions.ts names: regenerated into a temporary folder and compared byte for byte.

import { describe, it } from 'node:test';
import { regenerate } from '../generated/regenerate';

describe('generated schema tables are fresh', () => {
  it('shapes.json and versions.ts', { timeout: 15 * 60_000 }, () => {
    regenerate('scripts/gen-schema-tables.mjs', 'server/src/schema/generated', ['shapes.json', 'versions.ts']);
  });
});
