// The engine's SHA-256 (engine/hash.ts: written out because the engine may not use node:crypto)
// against node:crypto's, on lengths around the 64-byte block and padding boundaries.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { sha256Hex } from '../../server/src/engine/hash';

test('sha256Hex gives node:crypto\'s digest for every length around a block boundary', () => {
  const seed = crypto.createHash('sha256').update('gitops-lens').digest();
  for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 65537]) {
    const bytes = new Uint8Array(n).map((_, i) => seed[i % seed.length]! ^ (i * 31));
    assert.equal(sha256Hex(bytes), crypto.createHash('sha256').update(bytes).digest('hex'), `length ${n}`);
  }
});
