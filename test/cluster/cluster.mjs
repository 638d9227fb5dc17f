// The test cluster: a real etcd, kube-apiserver and kube-controller-manager
// on 127.0.0.1, started detached (each in its own process group), with its
// data, certificates, logs, audit log and kubeconfig in one directory.
//
//   up     create (first time) or start, wait until ready, install RBAC + CRDs
//   stop   stop the processes, keep the data
//   start  start the processes again on the same ports and data
//   down   stop and remove the directory
//   status print what runs
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cacheRoot, ensureBinaries, pinnedVersions } from './build.mjs';
import { CRDS, CRD_RESOURCES } from './crds.mjs';
import { credentialsFromFiles, must, request, serverSideApply, sleep, waitFor } from './kube.mjs';
import { pidAlive, withLock } from './lock.mjs';

export const FIELD_MANAGER = 'gitops-lens-test-cluster';
export const VIEWER_ROLE = 'gitops-lens:viewer';
const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager'];
const log = (m) => process.stderr.write(`[test-cluster] ${m}\n`);

export function clusterDir(name = 'default') {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`bad cluster name ${name}`);
  // GITOPS_LENS_CLUSTER_DIR moves the default cluster only; named ones
  // (e.g. a test's own) keep directories of their own.
  if (name === 'default' && process.env.GITOPS_LENS_CLUSTER_DIR) return path.resolve(process.env.GITOPS_LENS_CLUSTER_DIR);
  return path.join(cacheRoot(), 'clusters', name);
}

/** Paths of everything in a cluster directory. */
export function layout(dir) {
  const pki = path.join(dir, 'pki');
  return {
    dir,
    state: path.join(dir, 'state.json'),
    pki,
    etcdData: path.join(dir, 'etcd'),
    logs: path.join(dir, 'logs'),
    auditLog: path.join(dir, 'audit', 'audit.log'),
    auditPolicy: path.join(dir, 'audit', 'policy.yaml'),
    kubeconfig: path.join(dir, 'kubeconfig'),
    kcmKubeconfig: path.join(dir, 'kube-controller-manager.kubeconfig'),
    lock: path.join(`${dir}.lock`),
  };
}

function readState(l) {
  try {
    return JSON.parse(fs.readFileSync(l.state, 'utf8'));
  } catch {
    return null;
  }
}
function writeState(l, s) {
  fs.writeFileSync(`${l.state}.tmp`, JSON.stringify(s, null, 2));
  fs.renameSync(`${l.state}.tmp`, l.state);
}

/** Credentials for `user` ('admin' | 'viewer') of a cluster. */
export function credentials(l, state, user = 'admin') {
  return credentialsFromFiles({
    server: `https://127.0.0.1:${state.ports.apiserver}`,
    caFile: path.join(l.pki, 'ca.crt'),
    certFile: path.join(l.pki, `${user}.crt`),
    keyFile: path.join(l.pki, `${user}.key`),
  });
}

// ---- ports -----------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
async function pickPorts() {
  const ports = new Set();
  while (ports.size < 4) ports.add(await freePort());
  const [apiserver, etcdClient, etcdPeer, controllerManager] = [...ports];
  return { apiserver, etcdClient, etcdPeer, controllerManager };
}

// ---- certificates ----------------------------------------------------------

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function generatePki(pki) {
  fs.mkdirSync(pki, { recursive: true, mode: 0o700 });
  const cnf = path.join(pki, 'openssl.cnf');
  fs.writeFileSync(cnf, '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const base = ['req', '-config', cnf, '-x509', '-new', ...ec, '-days', '3650'];
  openssl([...base, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=gitops-lens-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], pki);
  const leaf = (file, subj, eku, san) =>
    openssl([...base, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-keyout', `${file}.key`, '-out', `${file}.crt`, '-subj', subj,
      '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext', `extendedKeyUsage=${eku}`, ...(san ? ['-addext', `subjectAltName=${san}`] : [])], pki);
  leaf('apiserver', '/CN=kube-apiserver', 'serverAuth',
    'IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local');
  leaf('admin', '/O=system:masters/CN=gitops-lens-admin', 'clientAuth');
  leaf('viewer', '/O=gitops-lens:viewers/CN=gitops-lens-viewer', 'clientAuth');
  leaf('kube-controller-manager', '/CN=system:kube-controller-manager', 'clientAuth');
  // Service account tokens are signed with an RSA key, as in most clusters.
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], pki);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], pki);
}

// ---- config files ----------------------------------------------------------

function b64(file) {
  return fs.readFileSync(file).toString('base64');
}

function kubeconfigText(l, port, users, current) {
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: gitops-lens-test',
    '  cluster:',
    `    server: https://127.0.0.1:${port}`,
    `    certificate-authority-data: ${b64(path.join(l.pki, 'ca.crt'))}`,
    'users:',
  ];
  for (const u of users) {
    lines.push(`- name: ${u.context}`, '  user:',
      `    client-certificate-data: ${b64(path.join(l.pki, `${u.file}.crt`))}`,
      `    client-key-data: ${b64(path.join(l.pki, `${u.file}.key`))}`);
  }
  lines.push('contexts:');
  for (const u of users) {
    lines.push(`- name: ${u.context}`, '  context:', '    cluster: gitops-lens-test', `    user: ${u.context}`, '    namespace: default');
  }
  lines.push(`current-context: ${current}`, '');
  return lines.join('\n');
}

function writeConfigs(l, ports) {
  fs.mkdirSync(path.dirname(l.auditLog), { recursive: true });
  fs.writeFileSync(
    l.auditPolicy,
    [
      '# Every request is recorded at level Metadata (user, verb, resource,',
      '# request URI with dryRun/fieldManager, response code).',
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'omitStages: ["RequestReceived"]',
      'rules:',
      '- level: Metadata',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    l.kubeconfig,
    kubeconfigText(l, ports.apiserver, [{ context: 'admin', file: 'admin' }, { context: 'viewer', file: 'viewer' }], 'admin'),
    { mode: 0o600 },
  );
  fs.writeFileSync(
    l.kcmKubeconfig,
    kubeconfigText(l, ports.apiserver, [{ context: 'kube-controller-manager', file: 'kube-controller-manager' }], 'kube-controller-manager'),
    { mode: 0o600 },
  );
}

// ---- processes -------------------------------------------------------------

function componentArgs(component, l, ports) {
  const pki = (f) => path.join(l.pki, f);
  switch (component) {
    case 'etcd': {
      const peer = `http://127.0.0.1:${ports.etcdPeer}`;
      const client = `http://127.0.0.1:${ports.etcdClient}`;
      return [
        '--name=gitops-lens',
        `--data-dir=${l.etcdData}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=gitops-lens=${peer}`,
        '--initial-cluster-state=new',
        // A throwaway test store: no fsync, a small quota.
        '--unsafe-no-fsync=true',
        '--quota-backend-bytes=2147483648',
        '--log-level=warn',
      ];
    }
    case 'kube-apiserver':
      return [
        `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${ports.apiserver}`,
        `--cert-dir=${path.join(l.dir, 'apiserver-certs')}`,
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
        `--client-ca-file=${pki('ca.crt')}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki('sa.pub')}`,
        `--service-account-signing-key-file=${pki('sa.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // 127.0.0.1 cannot be an endpoint of the kubernetes Service.
        '--endpoint-reconciler-type=none',
        '--allow-privileged=true',
        '--profiling=false',
        `--audit-policy-file=${l.auditPolicy}`,
        `--audit-log-path=${l.auditLog}`,
        '--audit-log-format=json',
        '--audit-log-mode=blocking',
        '--audit-log-maxsize=200',
        '--audit-log-maxbackup=1',
      ];
    case 'kube-controller-manager':
      return [
        `--kubeconfig=${l.kcmKubeconfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.controllerManager}`,
        `--cert-dir=${path.join(l.dir, 'controller-manager-certs')}`,
        '--leader-elect=false',
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki('sa.key')}`,
        `--root-ca-file=${pki('ca.crt')}`,
        `--cluster-signing-cert-file=${pki('ca.crt')}`,
        `--cluster-signing-key-file=${pki('ca.key')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        '--profiling=false',
      ];
    default:
      throw new Error(component);
  }
}

/** Start time of a process (clock ticks since boot), to tell a reused pid. */
function procStart(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return null; // exited, not yet reaped
    return fields[19];
  } catch {
    return null;
  }
}

function isRunning(proc) {
  return !!proc && pidAlive(proc.pid) && procStart(proc.pid) === proc.start;
}

function spawnComponent(component, binDir, l, ports) {
  fs.mkdirSync(l.logs, { recursive: true });
  const out = fs.openSync(path.join(l.logs, `${component}.log`), 'a');
  fs.writeSync(out, `\n===== ${new Date().toISOString()} starting ${component}\n`);
  const child = spawn(path.join(binDir, component), componentArgs(component, l, ports), {
    detached: true, // its own process group, killed as a whole
    stdio: ['ignore', out, out],
    cwd: l.dir,
  });
  fs.closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${component}`);
  return { pid: child.pid, start: procStart(child.pid) };
}

async function killGroup(proc, name) {
  if (!isRunning(proc)) return;
  const signal = (sig) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      // group already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 15000;
  while (isRunning(proc) && Date.now() < deadline) await sleep(50);
  if (isRunning(proc)) {
    log(`${name} did not stop on SIGTERM, killing`);
    signal('SIGKILL');
    while (isRunning(proc)) await sleep(50);
  }
  signal('SIGKILL'); // anything left in the group
}

function tail(file, n = 25) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---- API objects installed at up ---------------------------------------------

/**
 * The viewer ClusterRole: get/list/watch on every resource but Secrets.
 * RBAC cannot subtract, so the rules are built from discovery: every core
 * resource except secrets by name, and every other API group whole.
 */
export async function syncViewerRole(admin) {
  const core = (await must(admin, 'GET', '/api/v1')).body.resources;
  const coreNames = core
    .filter((r) => !r.name.startsWith('secrets') && r.verbs?.some((v) => ['get', 'list', 'watch'].includes(v)))
    .map((r) => r.name)
    .sort();
  const groups = (await must(admin, 'GET', '/apis')).body.groups.map((g) => g.name).sort();
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: VIEWER_ROLE, labels: { 'app.kubernetes.io/part-of': 'gitops-lens-test-cluster' } },
    rules: [
      { apiGroups: [''], resources: coreNames, verbs: ['get', 'list', 'watch'] },
      { apiGroups: groups, resources: ['*'], verbs: ['get', 'list', 'watch'] },
    ],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: VIEWER_ROLE, labels: { 'app.kubernetes.io/part-of': 'gitops-lens-test-cluster' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: VIEWER_ROLE },
    subjects: [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'gitops-lens-viewer' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'gitops-lens:viewers' },
    ],
  };
  for (const [p, o] of [
    [`/apis/rbac.authorization.k8s.io/v1/clusterroles/${encodeURIComponent(VIEWER_ROLE)}`, role],
    [`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${encodeURIComponent(VIEWER_ROLE)}`, binding],
  ]) {
    const res = await serverSideApply(admin, p, o, { fieldManager: FIELD_MANAGER });
    if (res.status >= 300) throw new Error(`apply ${p}: ${res.status} ${res.text.slice(0, 300)}`);
  }
}

async function installCrds(admin) {
  for (const crd of CRDS) {
    const p = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    const res = await serverSideApply(admin, p, crd, { fieldManager: FIELD_MANAGER });
    if (res.status >= 300) throw new Error(`apply CRD ${crd.metadata.name}: ${res.status} ${res.text.slice(0, 500)}`);
  }
  await waitFor('CRDs established and served', async () => {
    for (const r of CRD_RESOURCES) {
      const res = await request(admin, 'GET', `/apis/${r.group}/${r.version}`);
      if (res.status !== 200 || !res.body.resources?.some((x) => x.name === r.plural)) return false;
    }
    return true;
  }, { timeoutMs: 30000, intervalMs: 100 });
}

// ---- lifecycle -------------------------------------------------------------

async function startProcesses(l, state, binDir) {
  // etcd keeps its member's peer URL in its data: that port cannot move.
  if (!(await portFree(state.ports.etcdPeer))) {
    throw new Error(`etcd peer port ${state.ports.etcdPeer} of ${l.dir} is taken by another process; run down and up`);
  }
  const movable = ['apiserver', 'etcdClient', 'controllerManager'];
  const taken = [];
  for (const key of movable) if (!(await portFree(state.ports[key]))) taken.push(key);
  if (taken.length) {
    // Another process took a port while the cluster was stopped: move to
    // new ports (the certificates name 127.0.0.1, not a port) and rewrite
    // the kubeconfigs.
    let fresh;
    do fresh = await pickPorts();
    while (movable.some((k) => fresh[k] === state.ports.etcdPeer));
    log(`ports of ${taken.join(', ')} are taken; moving the cluster to new ports`);
    state.ports = { ...fresh, etcdPeer: state.ports.etcdPeer };
    writeConfigs(l, state.ports);
  }
  state.pids = {};
  // All three at once: the API server retries etcd, the controller
  // manager waits for the API server.
  for (const c of COMPONENTS) state.pids[c] = spawnComponent(c, binDir, l, state.ports);
  state.binDir = binDir;
  writeState(l, state);

  const admin = credentials(l, state, 'admin');
  const alive = () => {
    for (const c of COMPONENTS) {
      if (!isRunning(state.pids[c])) throw new Error(`${c} exited while starting; its log ends:\n${tail(path.join(l.logs, `${c}.log`))}`);
    }
  };
  const deadline = Date.now() + 120000;
  for (;;) {
    alive();
    try {
      const res = await request(admin, 'GET', '/readyz', { timeoutMs: 2000 });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`kube-apiserver not ready after 120 s; log ends:\n${tail(path.join(l.logs, 'kube-apiserver.log'))}`);
    await sleep(100);
  }
  return admin;
}

async function waitForControllerManager(l, state, admin) {
  // Proof that it works: the default namespace has its default service
  // account (made by its serviceaccount controller).
  await waitFor('the default service account of namespace default', async () => {
    if (!isRunning(state.pids['kube-controller-manager'])) {
      throw new Error(`kube-controller-manager exited; log ends:\n${tail(path.join(l.logs, 'kube-controller-manager.log'))}`);
    }
    const res = await request(admin, 'GET', '/api/v1/namespaces/default/serviceaccounts/default');
    return res.status === 200;
  }, { timeoutMs: 60000, intervalMs: 100 });
}

function summary(l, state, running) {
  return {
    name: state.name,
    dir: l.dir,
    running,
    server: `https://127.0.0.1:${state.ports.apiserver}`,
    kubeconfig: l.kubeconfig,
    auditLog: l.auditLog,
    versions: state.versions,
    ports: state.ports,
    pids: Object.fromEntries(Object.entries(state.pids ?? {}).map(([k, v]) => [k, v?.pid])),
    owner: state.owner,
  };
}

/** What runs, without changing anything. */
export function status({ name = 'default' } = {}) {
  const l = layout(clusterDir(name));
  const state = readState(l);
  if (!state) return { name, dir: l.dir, exists: false, running: false };
  const procs = Object.fromEntries(COMPONENTS.map((c) => [c, isRunning(state.pids?.[c])]));
  return { exists: true, ...summary(l, state, Object.values(procs).every(Boolean)), processes: procs };
}

async function adminReady(l, state) {
  try {
    const res = await request(credentials(l, state, 'admin'), 'GET', '/readyz', { timeoutMs: 3000 });
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * Creates the cluster the first time, starts it when it is stopped, and
 * reports it when it runs. Returns a summary with `alreadyRunning` and
 * `seconds` (from the call to ready).
 */
export async function up({ name = 'default', owner = 'cli' } = {}) {
  const t0 = Date.now();
  const binDir = await ensureBinaries({ log });
  const l = layout(clusterDir(name));
  fs.mkdirSync(path.dirname(l.dir), { recursive: true });
  return withLock(l.lock, { timeoutMs: 5 * 60 * 1000 }, async () => {
    let state = readState(l);
    if (state && COMPONENTS.every((c) => isRunning(state.pids?.[c])) && (await adminReady(l, state))) {
      return { ...summary(l, state, true), alreadyRunning: true, seconds: (Date.now() - t0) / 1000 };
    }
    const fresh = !state;
    if (state) {
      // Stopped, or half running: stop what is left and start again.
      for (const c of [...COMPONENTS].reverse()) await killGroup(state.pids?.[c], c);
    } else {
      fs.rmSync(l.dir, { recursive: true, force: true });
      fs.mkdirSync(l.dir, { recursive: true, mode: 0o700 });
      generatePki(l.pki);
      const ports = await pickPorts();
      writeConfigs(l, ports);
      state = { name, ports, owner, versions: pinnedVersions(), createdAt: new Date().toISOString(), pids: {} };
      writeState(l, state);
    }
    let admin;
    try {
      admin = await startProcesses(l, state, binDir);
      if (fresh) {
        await installCrds(admin);
        await syncViewerRole(admin);
      }
      await waitForControllerManager(l, state, admin);
    } catch (e) {
      for (const c of [...COMPONENTS].reverse()) await killGroup(state.pids?.[c], c);
      if (fresh) fs.rmSync(l.dir, { recursive: true, force: true });
      throw e;
    }
    state.readyAt = new Date().toISOString();
    writeState(l, state);
    return { ...summary(l, state, true), alreadyRunning: false, created: fresh, seconds: (Date.now() - t0) / 1000 };
  });
}

/** Stops the processes (whole process groups), keeping data and config. */
export async function stop({ name = 'default' } = {}) {
  const l = layout(clusterDir(name));
  return withLock(l.lock, {}, async () => {
    const state = readState(l);
    if (!state) return { name, exists: false, running: false };
    for (const c of [...COMPONENTS].reverse()) await killGroup(state.pids?.[c], c);
    return { ...summary(l, state, false), stopped: true };
  });
}

/** Starts a stopped cluster again with its data; fails if there is none. */
export async function start({ name = 'default' } = {}) {
  const l = layout(clusterDir(name));
  if (!readState(l)) throw new Error(`no test cluster in ${l.dir}: run up first`);
  return up({ name });
}

/** Stops the processes and removes the directory. */
export async function down({ name = 'default' } = {}) {
  const l = layout(clusterDir(name));
  if (!fs.existsSync(l.dir)) return { name, dir: l.dir, removed: false };
  return withLock(l.lock, {}, async () => {
    const state = readState(l);
    for (const c of [...COMPONENTS].reverse()) await killGroup(state?.pids?.[c], c);
    fs.rmSync(l.dir, { recursive: true, force: true });
    return { name, dir: l.dir, removed: true };
  });
}
