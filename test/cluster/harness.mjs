// The test helper: one running test cluster shared by every suite.
//
//   import { ensureCluster } from '../cluster/harness.mjs';
//   const cluster = await ensureCluster();           // builds/starts if needed
//   after(() => cluster.release());                  // downs it if this run started it
//
// ensureCluster() returns
//   kubeconfig, auditLog, server, dir, versions  paths and facts
//   admin, viewer                                credentials for ./kube.mjs request()
//   request(method, path, opts), as(user)        plain https as admin (or viewer)
//   kubectl(args, { context, input })            kubectl with the cluster's kubeconfig
//   stop(), start()                              stop/start the processes, keeping data
//   syncViewerRole()                             re-read discovery into the viewer role
//   release()                                    drop this process's lease (see below)
//
// Leases: each process that calls ensureCluster() holds a lease file. A
// cluster started by the harness (not by `npm run test-cluster -- up`) is
// taken down when the last lease is released, unless GITOPS_LENS_KEEP_CLUSTER=1.
// stop()/start() act on the shared cluster: a suite that stops it should
// give its own `name` to ensureCluster({ name }).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as cluster from './cluster.mjs';
import { request } from './kube.mjs';
import { pidAlive } from './lock.mjs';

function leaseDir(name) {
  return path.join(cluster.clusterDir(name), 'leases');
}

function liveLeases(name) {
  let files = [];
  try {
    files = fs.readdirSync(leaseDir(name));
  } catch {
    return [];
  }
  return files.filter((f) => {
    if (pidAlive(Number(f))) return true;
    fs.rmSync(path.join(leaseDir(name), f), { force: true });
    return false;
  });
}

/**
 * @param {{ name?: string }} [opts]
 */
export async function ensureCluster({ name = 'default' } = {}) {
  const info = await cluster.up({ name, owner: 'harness' });
  fs.mkdirSync(leaseDir(name), { recursive: true });
  fs.writeFileSync(path.join(leaseDir(name), String(process.pid)), '');
  const l = cluster.layout(info.dir);
  let admin;
  let viewer;
  let server;
  // (Re)reads the credentials: start() may have moved the cluster to new
  // ports when its old ones were taken.
  const load = () => {
    const state = JSON.parse(fs.readFileSync(l.state, 'utf8'));
    admin = cluster.credentials(l, state, 'admin');
    viewer = cluster.credentials(l, state, 'viewer');
    server = admin.server;
  };
  load();
  let released = false;

  return {
    name,
    dir: info.dir,
    kubeconfig: info.kubeconfig,
    auditLog: info.auditLog,
    get server() {
      return server;
    },
    versions: info.versions,
    startedNow: !info.alreadyRunning,
    upSeconds: info.seconds,
    get admin() {
      return admin;
    },
    get viewer() {
      return viewer;
    },
    request: (method, p, opts) => request(admin, method, p, opts),
    as: (user) => ({ request: (method, p, opts) => request(user === 'viewer' ? viewer : admin, method, p, opts) }),
    kubectl(args, { context = 'admin', input } = {}) {
      return execFileSync('kubectl', [`--kubeconfig=${info.kubeconfig}`, `--context=${context}`, ...args], {
        input,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    },
    stop: () => cluster.stop({ name }),
    async start() {
      const res = await cluster.start({ name });
      load();
      return res;
    },
    syncViewerRole: () => cluster.syncViewerRole(admin),
    async release() {
      if (released) return;
      released = true;
      fs.rmSync(path.join(leaseDir(name), String(process.pid)), { force: true });
      if (process.env.GITOPS_LENS_KEEP_CLUSTER === '1') return;
      const s = cluster.status({ name });
      if (s.exists && s.owner === 'harness' && liveLeases(name).length === 0) await cluster.down({ name });
    },
  };
}
