// gitopsLens.exclude means one thing on both sides: the server indexes nothing it matches and the
// client shows nothing it matches, through the one matcher in server/src/protocol.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { excludeMatcher } from '../../server/src/protocol';
import { excludeMatcher as serverMatcher } from '../../server/src/workspace/settings';

test('exclude globs: folders and their contents, * and ? within a segment, **/ over whole segments', () => {
  const m = excludeMatcher(['**/vendor', 'legacy/', './apps/*/old', 'tmp?']);
  const yes = ['vendor', 'vendor/a.yaml', 'x/y/vendor/a.yaml', 'legacy/k.yaml', 'apps/web/old/x.yaml', 'tmp1/a'];
  const no = ['myvendor/a.yaml', 'x/myvendor/a.yaml', 'legacyx/k.yaml', 'apps/web/sub/old/x.yaml', 'tmp12/a', 'apps/old'];
  for (const p of yes) assert.ok(m(p), `${p} is excluded`);
  for (const p of no) assert.ok(!m(p), `${p} is not excluded`);
  assert.equal(serverMatcher, excludeMatcher, 'the server uses the same matcher');
});
