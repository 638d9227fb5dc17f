#!/usr/bin/env node
// How far the engine is from its size limits (ARCHITECTURE.md, "Invariants": no engine file over 400
// lines except data tables, no function over 60 lines): every file and function over, longest first.
// `npm test` runs it with `--check`, which exits 1 when anything is over.
//
//   node scripts/engine-sizes.mjs [--check]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = path.join(root, 'server/src/engine');
const FILE_MAX = 400, FUNCTION_MAX = 60;
// Data tables (and the functions that spell them out), exempt from the limits.
const TABLES = new Set(['k8s/openapi-data.ts', 'k8s/default-field-specs.ts']);

const files = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p); } };
walk(engine);

const longFiles = [], longFunctions = [];
for (const f of files.sort()) {
  const rel = path.relative(engine, f);
  const text = fs.readFileSync(f, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > FILE_MAX && !TABLES.has(rel)) longFiles.push([lines, rel]);
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node)) {
      const a = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line, b = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const n = b - a + 1;
      if (n > FUNCTION_MAX && !TABLES.has(rel)) {
        const name = node.name && ts.isIdentifier(node.name) ? node.name.text : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : '(anonymous)';
        longFunctions.push([n, `${rel}:${a + 1} ${name}`]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
longFiles.sort((x, y) => y[0] - x[0]);
longFunctions.sort((x, y) => y[0] - x[0]);
console.log(`engine files over ${FILE_MAX} lines: ${longFiles.length}`);
for (const [n, f] of longFiles) console.log(`  ${String(n).padStart(5)}  ${f}`);
console.log(`engine functions over ${FUNCTION_MAX} lines: ${longFunctions.length}`);
for (const [n, f] of longFunctions) console.log(`  ${String(n).padStart(5)}  ${f}`);
if (process.argv.includes('--check') && (longFiles.length || longFunctions.length)) process.exit(1);
