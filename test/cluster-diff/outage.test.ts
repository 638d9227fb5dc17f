// The API server goes away mid-diff and comes back: the diff ends with a clear status (no throw,
// no hang), the status watch reports the fault and recovers, and the next diff is complete.
// Runs on its own cluster, since it stops it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterSession, diffEnvironment, watchAgentStatus, type AgentStatus, type EnvironmentDiff } from '../../server/src/cluster/index';
import { applyAs, ensureCluster, fluxKustomization, fluxLabels, freshNamespace, tree, waitFor, type TestCluster } from './helpers';

let c: TestCluster;
before(async () => { c = await ensureCluster({ name: 'cluster-diff-outage' }); });
after(() => c?.release());

test('API server stopped mid-diff and started again; the status watch reports it and recovers', { timeout: 240_000 }, async () => {
  const ns = await freshNamespace(c, 'cd-outage');
  await fluxKustomization(c, ns, 'outage', { path: './', targetNamespace: ns });
  const labels = fluxLabels('outage', ns);
  const N = 150;
  const docs: string[] = [];
  const applies: Promise<unknown>[] = [];
  for (let i = 0; i < N; i++) {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } };
    docs.push(JSON.stringify(obj));
    applies.push(applyAs(c, { ...obj, metadata: { ...obj.metadata, namespace: ns, labels } }, 'kustomize-controller'));
    if (applies.length >= 8) await Promise.all(applies.splice(0));
  }
  await Promise.all(applies);
  const dir = tree({ 'kustomization.yaml': 'resources: [all.yaml]\n', 'all.yaml': docs.join('\n---\n') });
  const agent = { kind: 'flux' as const, namespace: ns, name: 'outage' };

  const session = new ClusterSession({ kubeconfig: c.kubeconfig, context: 'admin', timeoutMs: 5000 });
  const statuses: AgentStatus[] = [];
  const unsubscribe = watchAgentStatus(agent, (s) => statuses.push(s), { session, maxBackoffMs: 1000 });
  try {
    await waitFor('first status', () => statuses.find((s) => s.found));
    const before = session.client.requestLog.length;
    // Every object is dry-run (no fast path for unchanged objects), so the diff is long enough to be caught mid-way.
    const running = diffEnvironment({ dir, session, agent, concurrency: 2, alwaysDryRun: true });
    await waitFor('diff under way', () => session.client.requestLog.length > before + 20, { intervalMs: 5 });
    const stopped = c.stop();
    const t0 = Date.now();
    const d: EnvironmentDiff = await running;
    assert.ok(Date.now() - t0 < 60_000, 'the diff ended without hanging');
    await stopped;
    assert.notEqual(d.status, 'ok', `the diff knows it is incomplete: ${d.status} ${JSON.stringify(d.counts)}`);
    const lost = d.objects.filter((o) => o.state === 'error');
    assert.ok(lost.length > 0 || d.fault, 'objects it could not compare are marked');
    // A server going away answers 503 while it shuts down, then stops answering at all.
    const outage = (f: { kind: string; status?: number } | undefined) => !!f && (['unreachable', 'timeout'].includes(f.kind) || (f.kind === 'server' && f.status === 503));
    for (const o of lost) assert.ok(outage(o.fault), JSON.stringify(o.fault));
    if (d.status === 'error') assert.ok(outage(d.fault), JSON.stringify(d.fault));
    await waitFor('the watch reports the outage', () => statuses.find((s) => s.fault?.kind === 'unreachable'), { timeoutMs: 30_000 });

    // A diff while the server is down: a clear error, quickly.
    const down = await diffEnvironment({ dir, session, agent });
    assert.equal(down.status, 'error');
    assert.equal(down.fault?.kind, 'unreachable');

    // Counted before the start: the watch may already report the recovery while start() waits for
    // readiness, and it reports a status only when it changes.
    const n = statuses.length;
    await c.start();
    await waitFor('the watch recovers', () => statuses.slice(n).find((s) => s.found && !s.fault), { timeoutMs: 60_000 });
    const again = await waitFor('a complete diff after the restart', async () => {
      const r = await diffEnvironment({ dir, session: new ClusterSession({ kubeconfig: c.kubeconfig, context: 'admin' }), agent });
      return r.status === 'ok' ? r : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    assert.equal(again.counts.unchanged, N);
    assert.ok(again.inSync);
  } finally {
    unsubscribe();
    session.close();
  }
});
