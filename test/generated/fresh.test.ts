// The generated files are what their generators make now: each generator writes into a temporary
// folder and the result must equal the committed file byte for byte. A change to package.json or to
// a generator without `npm run generate` fails here. (The schema tables, which need the test API
// server and Go modules, are checked the same way in test/cluster/schema-tables.test.ts.)

import { describe, it } from 'node:test';
import { regenerate } from './regenerate';

describe('generated files are fresh', () => {
  it('server/src/contributes.ts: the ids and defaults of package.json', () => {
    regenerate('scripts/gen-contributes.mjs', 'server/src', ['contributes.ts']);
  });
  it('server/src/engine/k8s/openapi-data.ts: the strategic-merge tables of the Kubernetes v1.21.2 OpenAPI', () => {
    regenerate('scripts/gen-openapi-tables.mjs', 'server/src/engine/k8s', ['openapi-data.ts']);
  });
});
