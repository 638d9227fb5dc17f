// The test helper: one running test cluster shared by every suite.
//
//   import { ensureCluster } from '../cluster/harness.mjs';
//   const cluster = await ensureCluster();           // builds/starts if needed
//   after(() => cluster.release());                  // the cluster ends with the test run
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
// Sharing and clean-up: each process that calls ensureCluster() holds a lease
// file until release() or its exit. When ensureCluster() had to start the
// cluster, it also starts a watchdog (reaper.mjs) that waits for the test run
// to end -- the `node --test` runner when run under it, else this process --
// and for the last lease to go, then takes the cluster down (or stops it again,
// if it was made by `npm run test-cluster -- up`). So the test files of one
// run share one cluster, and a run never leaves one behind.
// GITOPS_LENS_KEEP_CLUSTER=1 keeps it running after the run.
// stop()/start() act on the shared cluster: a suite that stops it while
// others may use it should pass its own `name` to ensureCluster({ name }).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cluster from './cluster.mjs';
import { request } from './kube.mjs';

function leaseDir(name) {
  return path.join(cluster.clusterDir(name), 'leases');
}

/** Starts the watchdog that ends the cluster after the test run. */
function startReaper(name) {
  // Under `node --test` each file runs in a child of the runner: watch the
  // runner, so later files of the same run find the cluster still up.
  const watch = process.env.NODE_TEST_CONTEXT ? process.ppid : process.pid;
  const logFile = path.join(cluster.clusterDir(name), 'logs', 'reaper.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [fileURLToPath(new URL('./reaper.mjs', import.meta.url)), name, String(watch)], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  fs.closeSync(out);
  child.unref();
}

/**
 * @param {{ name?: string }} [opts]
 */
/**
 * The audit events written since byte `offset` (a size read earlier with fs.statSync). The API server
 * may be in the middle of a line at either moment: a line cut by the offset, or not finished yet, is
 * left out; every whole line must be an event.
 */
export function auditEventsSince(file, offset) {
  const buf = fs.readFileSync(file);
  let start = Math.min(offset, buf.length);
  if (start > 0 && buf[start - 1] !== 0x0a) {
    const nl = buf.indexOf(0x0a, start);
    start = nl < 0 ? buf.length : nl + 1;
  }
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end <= start) return [];
  return buf.subarray(start, end).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export async function ensureCluster({ name = 'default' } = {}) {
  const info = await cluster.up({ name, owner: 'harness' });
  fs.mkdirSync(leaseDir(name), { recursive: true });
  fs.writeFileSync(path.join(leaseDir(name), String(process.pid)), '');
  if (!info.alreadyRunning && process.env.GITOPS_LENS_KEEP_CLUSTER !== '1') startReaper(name);
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
    /** Drops this process's lease (the cluster itself ends with the run). */
    release() {
      if (released) return;
      released = true;
      fs.rmSync(path.join(leaseDir(name), String(process.pid)), { force: true });
    },
  };
}
