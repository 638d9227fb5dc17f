#!/usr/bin/env node
// Reads the conformance runner's --json summary and fails when the engine falls under the floors
// kept in .ci/conformance-floor.json: one for all cases, one for the cases kustomize builds (expect: ok).
// Usage: conformance-floor.mjs SUMMARY.json CASES_DIR FLOOR.json
import fs from 'node:fs';
import path from 'node:path';

const [summaryFile, casesDir, floorFile] = process.argv.slice(2);
const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
const floor = JSON.parse(fs.readFileSync(floorFile, 'utf8'));
const failed = new Set((summary.failures ?? []).map((f) => f.name));
let okTotal = 0;
let okPassed = 0;
for (const name of fs.readdirSync(casesDir)) {
  const f = path.join(casesDir, name, 'case.json');
  if (!fs.existsSync(f)) continue;
  if (JSON.parse(fs.readFileSync(f, 'utf8')).expect !== 'ok') continue;
  okTotal++;
  if (!failed.has(name)) okPassed++;
}
for (const f of summary.failures ?? []) console.log(`FAIL ${f.name}: ${String(f.reason).split('\n')[0]}`);
console.log(`conformance: ${summary.passed} passed, ${summary.failed} failed (expect ok: ${okPassed}/${okTotal})`);
const problems = [];
if (summary.passed < floor.all) problems.push(`all cases: ${summary.passed} passed, floor is ${floor.all}`);
if (okPassed < floor.ok) problems.push(`expect-ok cases: ${okPassed} passed, floor is ${floor.ok}`);
if (problems.length) {
  console.error(`conformance floor not met: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`conformance floor held (all >= ${floor.all}, ok >= ${floor.ok})`);
