// The CRDs of the GitOps agents, as their releases ship them: Flux (the controllers named by the Flux
// distribution's go.mod) and Argo CD, downloaded with `go mod download` (nothing downloaded is
// committed). Used by scripts/gen-schema-tables.mjs (the bundled schemas) and by the precision
// harness (installed into the test API server it dry-runs against).
//
// A Flux controller module the Go module proxy does not serve has its CRDs made from its api module
// by controller-gen, as its Makefile does (`cd api; controller-gen crd:crdVersions=v1 paths=./...`),
// after checking that this reproduces a served controller's shipped CRDs byte for byte.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toolEnv } from './tool-env.mjs';

// The versions the tables are made from.
const FLUX = { module: 'github.com/fluxcd/flux2/v2', version: 'v2.9.5' };
const FLUX_CONTROLLERS = [
  // name, root module, api module (as the Flux distribution's go.mod names it)
  { name: 'source-controller', module: 'github.com/fluxcd/source-controller', api: 'github.com/fluxcd/source-controller/api' },
  { name: 'kustomize-controller', module: 'github.com/fluxcd/kustomize-controller', api: 'github.com/fluxcd/kustomize-controller/api' },
  { name: 'helm-controller', module: 'github.com/fluxcd/helm-controller', api: 'github.com/fluxcd/helm-controller/api' },
  { name: 'notification-controller', module: 'github.com/fluxcd/notification-controller', api: 'github.com/fluxcd/notification-controller/api' },
  { name: 'image-reflector-controller', module: 'github.com/fluxcd/image-reflector-controller', api: 'github.com/fluxcd/image-reflector-controller/api' },
  { name: 'image-automation-controller', module: 'github.com/fluxcd/image-automation-controller', api: 'github.com/fluxcd/image-automation-controller/api' },
  { name: 'source-watcher', module: 'github.com/fluxcd/source-watcher/v2', api: 'github.com/fluxcd/source-watcher/api/v2' },
];
// The controller-gen the Flux controllers' Makefiles pin (CONTROLLER_GEN_VERSION).
const CONTROLLER_GEN = 'v0.21.0';
const ARGOCD = { module: 'github.com/argoproj/argo-cd/v3', version: 'v3.6.2', crds: 'manifests/crds' };
/** Names the set of versions (a cache key for what is made from them). */
export const VERSION_KEY = `flux-${FLUX.version}_argocd-${ARGOCD.version}_controller-gen-${CONTROLLER_GEN}`;

/**
 * Downloads (or reuses, from Go's module cache) every agent CRD file.
 * @returns {{ files: { file: string, source: string }[], fluxProvenance: Record<string, { version: string, crds: string }>, FLUX: typeof FLUX, ARGOCD: typeof ARGOCD }}
 */
export function agentCrdFiles({ tmp, log = (m) => process.stderr.write(`${m}\n`) }) {
  const goEnv = toolEnv({ GOTOOLCHAIN: 'auto', GOFLAGS: '-mod=mod', GOWORK: 'off' });
  const go = (args, cwd = tmp, extra = {}) => execFileSync('go', args, { cwd, env: { ...goEnv, ...extra }, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  /** `go mod download` of one module version: its extracted directory, or undefined if the proxy does not serve it. */
  function download(module, version) {
    let out;
    try { out = go(['mod', 'download', '-json', `${module}@${version}`]); } catch (e) { out = e.stdout; }
    const info = JSON.parse(out || '{}');
    if (info.Dir) return info.Dir;
    log(`go mod download ${module}@${version}: not served (${(info.Error ?? 'failed').split('\n').pop().trim()})`);
    return undefined;
  }
  const yamlFiles = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f)) : []);

  const fluxDir = download(FLUX.module, FLUX.version);
  if (!fluxDir) throw new Error(`the Go module proxy does not serve ${FLUX.module}@${FLUX.version}`);
  const fluxMod = fs.readFileSync(path.join(fluxDir, 'go.mod'), 'utf8');
  let controllerGen;
  function ensureControllerGen() {
    if (controllerGen) return controllerGen;
    const bin = path.join(tmp, 'bin');
    log(`building controller-gen ${CONTROLLER_GEN}`);
    go(['install', `sigs.k8s.io/controller-tools/cmd/controller-gen@${CONTROLLER_GEN}`], tmp, { GOBIN: bin, GOFLAGS: '' });
    controllerGen = path.join(bin, 'controller-gen');
    return controllerGen;
  }
  /** The CRDs controller-gen makes from an api module, run in a copy of it as `cd api; controller-gen ...`. */
  function generateCrds(apiModule, version) {
    const dir = download(apiModule, version);
    if (!dir) throw new Error(`the Go module proxy serves neither the controller nor ${apiModule}@${version}`);
    const work = path.join(tmp, 'api', apiModule.replace(/\W+/g, '_'));
    fs.cpSync(dir, work, { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', work]);
    const out = path.join(work, 'crds');
    execFileSync(ensureControllerGen(), ['crd:crdVersions=v1', 'paths=./...', `output:crd:artifacts:config=${out}`], { cwd: work, env: goEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    return yamlFiles(out);
  }

  const crdFiles = []; // { file, source }
  const fluxProvenance = {};
  let verified = 0; // served controllers whose shipped CRDs controller-gen reproduced
  for (const c of FLUX_CONTROLLERS) {
    const m = new RegExp(`^\\s*${c.api.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm').exec(fluxMod);
    if (!m) throw new Error(`${FLUX.module}@${FLUX.version} go.mod does not require ${c.api}`);
    const version = m[1];
    const dir = download(c.module, version);
    let files;
    if (dir) {
      files = yamlFiles(path.join(dir, 'config/crd/bases'));
      fluxProvenance[c.name] = { version, crds: 'config/crd/bases' };
      // controller-gen on the api module must give each served controller's shipped CRDs exactly.
      const made = generateCrds(c.api, version);
      const same = made.length === files.length && made.every((f, i) => path.basename(f) === path.basename(files[i]) && fs.readFileSync(f, 'utf8') === fs.readFileSync(files[i], 'utf8'));
      if (!same) throw new Error(`controller-gen ${CONTROLLER_GEN} on ${c.api}@${version} does not reproduce ${c.name}'s shipped CRDs`);
      log(`controller-gen ${CONTROLLER_GEN} on ${c.api}@${version} reproduces ${c.name}'s shipped CRDs byte for byte`);
      verified++;
    } else {
      files = generateCrds(c.api, version);
      fluxProvenance[c.name] = { version, crds: `controller-gen ${CONTROLLER_GEN} on ${c.api}@${version}` };
    }
    if (!files.length) throw new Error(`no CRDs for ${c.name} ${version}`);
    for (const f of files) crdFiles.push({ file: f, source: `flux:${c.name}` });
  }
  if (!verified && Object.values(fluxProvenance).some((p) => p.crds.startsWith('controller-gen'))) throw new Error('no shipped Flux CRDs to check controller-gen against');

  const argoDir = download(ARGOCD.module, ARGOCD.version);
  if (!argoDir) throw new Error(`the Go module proxy does not serve ${ARGOCD.module}@${ARGOCD.version}`);
  for (const f of yamlFiles(path.join(argoDir, ARGOCD.crds))) crdFiles.push({ file: f, source: 'argocd' });
  return { files: crdFiles, fluxProvenance, FLUX, ARGOCD };
}
