// The fast YAML reader against the `yaml` package's path on every .yaml/.yml file of the fixtures,
// the shared conformance corpus and the real-world cache (when present). Not part of `npm test`:
//
//   node --import tsx test/engine/fastyaml-corpus.ts [DIR...]
//
// Prints files compared, how many the fast reader read (and how many bytes), how many it left to
// the `yaml` package (by reason), and every mismatch (there must be none). Exits 1 on a mismatch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareText } from './fastyaml-compare';

const here = __dirname;
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : [
  path.join(here, 'fixtures'),
  path.resolve(here, '../../../shared/conformance'),
  path.join(os.homedir(), '.cache/gitops-lens/realworld/repos'),
];

function* yamlFiles(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== '.git' && e.name !== 'node_modules') yield* yamlFiles(p); } else if (e.isFile() && /\.ya?ml$/.test(e.name)) yield p;
  }
}

let mismatches = 0;
const reasons = new Map<string, number>();
for (const dir of dirs) {
  if (!fs.existsSync(dir)) { console.log(`${dir}: not present, skipped`); continue; }
  let files = 0, same = 0, bail = 0, fullError = 0, bytes = 0, fastBytes = 0;
  for (const file of yamlFiles(dir)) {
    let text: string;
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    files++;
    bytes += text.length;
    if (/^kustomization\.ya?ml$/.test(path.basename(file))) {
      const k = compareText(text, { yaml11: true });
      if (k.kind === 'mismatch') { mismatches++; console.log(`MISMATCH ${file} (as a kustomization): ${k.detail}`); }
    }
    const o = compareText(text);
    if (o.kind === 'same') { same++; fastBytes += text.length; } else if (o.kind === 'bail') { bail++; reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1); } else if (o.kind === 'full-error') fullError++;
    else { mismatches++; console.log(`MISMATCH ${file}: ${o.detail}`); }
  }
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
  console.log(`${dir}: ${files} files compared; fast path ${same} (${pct(same, files)}, ${pct(fastBytes, bytes)} of ${(bytes / 1e6).toFixed(1)} MB), left to the yaml package ${bail}, errors in both ${fullError}`);
}
console.log('left to the yaml package, by reason:');
for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${r}`);
console.log(`mismatches: ${mismatches}`);
process.exit(mismatches ? 1 : 0);
