// Bench: the live diff of 500 objects, `gitops-lens diff` against `kubectl diff` on the same
// objects, in the same run, on the test cluster (test/cluster). Target: at most 0.5x kubectl's time.
//
//   node --import tsx test/bench/diff.ts [--reps N] [--json FILE]
//
// Live state: 500 objects (300 ConfigMaps, 100 Deployments, 100 Services) applied by
// kustomize-controller with Flux's labels; the folder changes 50 of them. Both tools render the
// folder themselves (kubectl diff -k; gitops-lens diff DIR) and compare with a server-side dry-run
// per object; kubectl runs as `kubectl diff --server-side --field-manager=kustomize-controller
// --force-conflicts` (the same question) and plain `kubectl diff -k` (its default) for reference.
// Also: a warm in-process re-diff (the editor's case: session and discovery cached).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClusterSession, diffEnvironment } from '../../server/src/cluster/index';
import { applyAs, ensureCluster, fluxKustomization, fluxLabels, freshNamespace, tree } from '../cluster-diff/helpers';

const argv = process.argv.slice(2);
const REPS = Number(argv[argv.indexOf('--reps') + 1]) || (argv.includes('--reps') ? 3 : 3);
const jsonOut = argv.includes('--json') ? argv[argv.indexOf('--json') + 1] : undefined;
const repo = path.resolve(__dirname, '../..');
const median = (xs: number[]): number => { const s = xs.slice().sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(repo, 'dist/cli.js'))) spawnSync('npm', ['run', '-s', 'build'], { cwd: repo, stdio: 'inherit' });
  const c = await ensureCluster();
  const ns = await freshNamespace(c, 'bench-diff');
  await fluxKustomization(c, ns, 'bench', { path: './', targetNamespace: ns });
  const labels = fluxLabels('bench', ns);
  const objs: any[] = [];
  for (let i = 0; i < 300; i++) objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { index: String(i), payload: 'x'.repeat(200) } });
  for (let i = 0; i < 100; i++) objs.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${i}` }, spec: { replicas: 2, selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: 'main', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } } } });
  for (let i = 0; i < 100; i++) objs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}` }, spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 80 }] } });
  const t0 = performance.now();
  const pending: Promise<unknown>[] = [];
  for (const o of objs) {
    pending.push(applyAs(c, { ...o, metadata: { ...o.metadata, namespace: ns, labels } }, 'kustomize-controller'));
    if (pending.length >= 16) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  process.stderr.write(`applied ${objs.length} objects in ${Math.round(performance.now() - t0)} ms\n`);
  // The folder: the same objects with Flux's labels (as kubectl has no agent), 50 of them changed.
  const rendered = objs.map((o, i) => {
    const x = JSON.parse(JSON.stringify(o));
    x.metadata.labels = labels;
    if (i % 10 === 0) { if (x.kind === 'ConfigMap') x.data.index = `changed-${i}`; else if (x.kind === 'Deployment') x.spec.replicas = 3; else x.spec.ports[0].targetPort = 8080; }
    return x;
  });
  const dir = tree({ 'kustomization.yaml': `namespace: ${ns}\nresources: [all.yaml]\n`, 'all.yaml': rendered.map((o) => JSON.stringify(o)).join('\n---\n') });

  const kubeconfig = c.kubeconfig;
  const run = (cmd: string, args: string[]): { ms: number; status: number | null; out: string; err: string } => {
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, KUBECONFIG: kubeconfig } });
    return { ms: performance.now() - t, status: r.status, out: r.stdout, err: r.stderr };
  };
  const lens = (): ReturnType<typeof run> => run(process.execPath, [path.join(repo, 'dist/cli.js'), 'diff', dir, '--kubeconfig', kubeconfig, '--context', 'admin', '--agent', `flux/${ns}/bench`, '--json']);
  const kssa = (): ReturnType<typeof run> => run('kubectl', ['diff', '--kubeconfig', kubeconfig, '--context', 'admin', '--server-side', '--field-manager=kustomize-controller', '--force-conflicts', '-k', dir]);
  const kcsa = (): ReturnType<typeof run> => run('kubectl', ['diff', '--kubeconfig', kubeconfig, '--context', 'admin', '-k', dir]);

  // Check once that both see the same 50 changed objects.
  const first = lens();
  const j = JSON.parse(first.out);
  if (first.status !== 1 || j.counts.changed !== 50 || j.counts.unchanged !== 450) throw new Error(`gitops-lens diff: exit ${first.status}, ${JSON.stringify(j.counts)} ${first.err}`);
  const k1 = kssa();
  const kChanged = (k1.out.match(/^diff -u -N /gm) ?? []).length;
  if (k1.status !== 1 || kChanged !== 50) throw new Error(`kubectl diff --server-side: exit ${k1.status}, ${kChanged} objects differ: ${k1.err.slice(0, 500)}`);

  const times = { lens: [] as number[], kubectlServerSide: [] as number[], kubectl: [] as number[] };
  for (let r = 0; r < REPS; r++) {
    times.lens.push(lens().ms);
    times.kubectlServerSide.push(kssa().ms);
    times.kubectl.push(kcsa().ms);
  }
  // Warm, in-process (the editor's re-diff after an edit): session and discovery reused.
  const session = new ClusterSession({ kubeconfig, context: 'admin' });
  const warm: number[] = [];
  for (let r = 0; r < REPS + 2; r++) {
    const t = performance.now();
    const d = await diffEnvironment({ dir, session, agent: { kind: 'flux', namespace: ns, name: 'bench' } });
    if (d.status !== 'ok' || d.counts.changed !== 50) throw new Error(`in-process diff: ${d.status} ${JSON.stringify(d.counts)}`);
    if (r > 0) warm.push(performance.now() - t);
  }
  session.close();
  c.release();
  const res = {
    objects: objs.length,
    changed: 50,
    reps: REPS,
    gitopsLensMs: Math.round(median(times.lens)),
    kubectlServerSideMs: Math.round(median(times.kubectlServerSide)),
    kubectlMs: Math.round(median(times.kubectl)),
    ratioVsServerSide: Math.round((median(times.lens) / median(times.kubectlServerSide)) * 1000) / 1000,
    ratioVsKubectl: Math.round((median(times.lens) / median(times.kubectl)) * 1000) / 1000,
    warmInProcessMs: Math.round(median(warm)),
    target: 0.5,
    all: times,
  };
  const ok = res.ratioVsServerSide <= 0.5 && res.ratioVsKubectl <= 0.5;
  console.log(`live diff, ${res.objects} objects (${res.changed} changed), median of ${REPS}:`);
  console.log(`  gitops-lens diff            ${res.gitopsLensMs} ms`);
  console.log(`  kubectl diff --server-side  ${res.kubectlServerSideMs} ms   ratio ${res.ratioVsServerSide}`);
  console.log(`  kubectl diff                ${res.kubectlMs} ms   ratio ${res.ratioVsKubectl}`);
  console.log(`  warm in-process re-diff     ${res.warmInProcessMs} ms`);
  console.log(`  target <= 0.5x: ${ok ? 'met' : 'MISSED'}`);
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(res, null, 2));
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
