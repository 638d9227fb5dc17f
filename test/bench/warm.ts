// In-process re-render benchmark, run as its own process by run.ts (so the "cold" first build is
// JIT-cold): one Engine over a MemoryHost holding a ~100-resource overlay; build once (cold), then
// repeatedly change one value in one file through the host and build again. Prints JSON.
//
//   node --import tsx test/bench/warm.ts [--iterations 50] [--profile FILE.cpuprofile]
// (run.ts runs an esbuild bundle of this file, built like dist/.)

import fs from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { Engine, MemoryHost, renderYaml } from '../../server/src/engine/index';
import { generateTree } from './generate';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const iterations = Number(opt('--iterations') ?? 50);
const profileFile = opt('--profile');
const WARMUP = 5;

const ROOT = '/ws';
const tree = generateTree({ overlays: 1, appsPerBase: 8 });
const host = new MemoryHost();
for (const [f, text] of Object.entries(tree.files)) host.write(`${ROOT}/${f}`, text);
const dir = `${ROOT}/overlays/ov-00`;
const editPath = `${ROOT}/${tree.editable.file}`;
const original = host.readFile(editPath);

const engine = new Engine(host);
let t0 = performance.now();
const first = engine.build(dir);
let t1 = performance.now();
const firstYaml = renderYaml(first.resources);
let t2 = performance.now();
const cold = { buildMs: t1 - t0, totalMs: t2 - t0, resources: first.resources.length, bytes: firstYaml.length };

const session = profileFile ? new Session() : undefined;
const post = (method: string, params?: object): Promise<unknown> =>
  new Promise((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));

async function main(): Promise<void> {
  const build: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < WARMUP + iterations; i++) {
    if (session && i === WARMUP) {
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
    }
    const value = `hello-edit-${i}`;
    host.write(editPath, original.replace(tree.editable.marker, value));
    t0 = performance.now();
    const r = engine.build(dir);
    t1 = performance.now();
    const yaml = renderYaml(r.resources);
    t2 = performance.now();
    if (!yaml.includes(value)) throw new Error(`re-render ${i} does not show the edited value ${value}`);
    if (i >= WARMUP) { build.push(t1 - t0); total.push(t2 - t0); }
  }
  if (session) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(profileFile!, JSON.stringify(profile));
    session.disconnect();
  }
  process.stdout.write(JSON.stringify({ cold, build, total, resources: cold.resources, edited: tree.editable.file }) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
