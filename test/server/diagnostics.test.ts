// Diagnostics in process: each case under cases/diagnostics is a workspace (folder /ws) and every
// diagnostic the server would publish for its files, compared whole (check.ts; UPDATE_EXPECT=1
// rewrites the expectations).

import path from 'node:path';
import { describe, it } from 'node:test';
import { allDiagnostics, expectCase, parseFixture, readCases, workspaceOf } from './check';

describe('diagnostics', () => {
  for (const c of readCases(path.join(__dirname, 'cases', 'diagnostics'))) {
    it(c.name, async () => {
      const f = parseFixture(c.fixture);
      const ws = await workspaceOf(f);
      expectCase(c, allDiagnostics(ws, Object.keys(f.files)));
    });
  }
});
