// Renders an environment the way its agent does, on the engine and over whatever host the caller
// gives (the language server passes its buffer host, so unsaved edits count):
//  - Flux Kustomization: a generated kustomization when the folder has none, the Kustomization's
//    targetNamespace / namePrefix / nameSuffix / patches / images / components written into the
//    kustomization as kustomize-controller does, then commonMetadata, postBuild substitution
//    (substitute, substituteFrom ConfigMaps and Secrets) and the kustomize.toolkit.fluxcd.io labels;
//  - Argo CD Application: source.kustomize options as `kustomize edit` would set them, the
//    destination namespace for namespaced objects without one, and the tracking label/annotation.

import YAML from 'yaml';
import { Engine, type FileHost, join, KUSTOMIZATION_FILE_NAMES, OverlayHost, relative, type Resource, type SourceRef } from '../engine/index';
import { ClusterError } from './kube';
import { isObj, type Obj } from './objects';

type AgentKind = 'flux' | 'argocd';

/** The agent object that reconciles an environment. */
export interface AgentRef {
  kind: AgentKind;
  namespace: string;
  name: string;
}

export interface RenderedObject {
  obj: Obj;
  /** Where the document came from (file, range), for CodeLens placement. */
  source?: SourceRef;
  /** Skip comparing (Flux `kustomize.toolkit.fluxcd.io/ssa: Ignore`). */
  ignore?: boolean;
  /** Flux `ssa: IfNotPresent`: only created, never updated. */
  ifNotPresent?: boolean;
}

export interface AgentRenderContext {
  /** The agent object as read from the cluster (spec included). */
  agentObject?: Obj;
  agent?: AgentRef;
  /** Reads a ConfigMap/Secret's data for Flux substituteFrom (Secret values decoded). */
  readVars?(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Argo CD tracking: 'annotation' (Argo CD 3 default), 'label', or 'annotation+label'. */
  argoTracking?: 'annotation' | 'label' | 'annotation+label';
  /** Argo CD's namespace (apps outside it are tracked as <namespace>_<name>). */
  argoNamespace?: string;
  /** Files the build may read outside the root. */
  loadRestrictor?: 'rootOnly' | 'none';
}

/**
 * One Engine per host (and one over an overlay of it, for kustomizations the agent's own spec changes),
 * kept across renders so a re-diff after an edit reuses the parse and sub-render caches of the bases.
 */
const engines = new WeakMap<FileHost, { plain: Engine; overlay: OverlayHost; overlaid: Engine }>();
let overlayVersion = 0;

function enginesFor(host: FileHost): { plain: Engine; overlay: OverlayHost; overlaid: Engine } {
  let e = engines.get(host);
  if (!e) {
    const overlay = new OverlayHost(host);
    e = { plain: new Engine(host), overlay, overlaid: new Engine(overlay) };
    engines.set(host, e);
  }
  return e;
}

export interface RenderResult {
  objects: RenderedObject[];
  files: string[];
  warnings: string[];
}

const FLUX_NAME = 'kustomize.toolkit.fluxcd.io/name';
const FLUX_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';
export const ARGO_TRACKING = 'argocd.argoproj.io/tracking-id';
export const ARGO_INSTANCE = 'app.kubernetes.io/instance';
export const FLUX_LABELS = { name: FLUX_NAME, namespace: FLUX_NAMESPACE };

function kustomizationFile(host: FileHost, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) if (host.stat(join(dir, n)) === 'file') return join(dir, n);
  return undefined;
}

function yamlFilesUnder(host: FileHost, dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of host.readDirectory(dir)) {
    const p = join(dir, e);
    const kind = host.stat(p);
    if (kind === 'directory' && !e.startsWith('.')) out.push(...yamlFilesUnder(host, p, base));
    else if (kind === 'file' && /\.ya?ml$/.test(e)) {
      const text = host.readFile(p);
      if (/^\s*apiVersion:/m.test(text) && /^\s*kind:/m.test(text)) out.push(relative(base, p));
    }
  }
  return out;
}

/** Renders `dir` as the agent would apply it. Throws KustomizeError (a render problem) or ClusterError (substituteFrom unreadable). */
export async function renderForAgent(host: FileHost, dir: string, ctx: AgentRenderContext = {}): Promise<RenderResult> {
  const spec = isObj(ctx.agentObject?.spec) ? ctx.agentObject!.spec : {};
  const kind = ctx.agent?.kind;
  const cached = enginesFor(host);
  let file = kustomizationFile(host, dir);
  let k: Obj;
  if (file) {
    const parsed = YAML.parse(host.readFile(file));
    k = isObj(parsed) ? parsed : {};
  } else {
    // kustomize-controller generates one listing the manifests it finds.
    file = join(dir, 'kustomization.yaml');
    k = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: kind === 'flux' || kind === 'argocd' ? yamlFilesUnder(host, dir) : [] };
  }
  let changed = !kustomizationFile(host, dir);
  const append = (field: string, items: unknown[]): void => {
    if (!items.length) return;
    k[field] = [...(Array.isArray(k[field]) ? (k[field] as unknown[]) : []), ...items] as Obj[];
    changed = true;
  };
  if (kind === 'flux') {
    if (typeof spec.targetNamespace === 'string' && spec.targetNamespace) { k.namespace = spec.targetNamespace; changed = true; }
    if (typeof spec.namePrefix === 'string' && spec.namePrefix) { k.namePrefix = spec.namePrefix; changed = true; }
    if (typeof spec.nameSuffix === 'string' && spec.nameSuffix) { k.nameSuffix = spec.nameSuffix; changed = true; }
    append('patches', Array.isArray(spec.patches) ? spec.patches : []);
    append('images', Array.isArray(spec.images) ? spec.images : []);
    append('components', Array.isArray(spec.components) ? spec.components : []);
  } else if (kind === 'argocd') {
    const src = argoSourceFor(ctx.agentObject, dir);
    const kz = isObj(src?.kustomize) ? src!.kustomize : undefined;
    if (kz) {
      if (typeof kz.namePrefix === 'string') { k.namePrefix = kz.namePrefix; changed = true; }
      if (typeof kz.nameSuffix === 'string') { k.nameSuffix = kz.nameSuffix; changed = true; }
      if (typeof kz.namespace === 'string' && kz.namespace) { k.namespace = kz.namespace; changed = true; }
      if (isObj(kz.commonLabels)) { k.commonLabels = { ...(isObj(k.commonLabels) ? k.commonLabels : {}), ...kz.commonLabels }; changed = true; }
      if (isObj(kz.commonAnnotations)) { k.commonAnnotations = { ...(isObj(k.commonAnnotations) ? k.commonAnnotations : {}), ...kz.commonAnnotations }; changed = true; }
      if (Array.isArray(kz.images)) {
        const imgs = (Array.isArray(k.images) ? k.images : []) as Obj[];
        for (const s of kz.images) if (typeof s === 'string') setImage(imgs, s);
        k.images = imgs;
        changed = true;
      }
      if (Array.isArray(kz.replicas)) {
        const reps = (Array.isArray(k.replicas) ? k.replicas : []) as Obj[];
        for (const r of kz.replicas) {
          if (!isObj(r) || typeof r.name !== 'string') continue;
          const i = reps.findIndex((x) => x.name === r.name);
          const e = { name: r.name, count: Number(r.count) };
          if (i >= 0) reps[i] = e; else reps.push(e);
        }
        k.replicas = reps;
        changed = true;
      }
      append('patches', Array.isArray(kz.patches) ? kz.patches : []);
      append('components', Array.isArray(kz.components) ? kz.components : []);
    }
  }
  // The agent's additions go into a buffer over the root kustomization for this build only.
  if (changed) cached.overlay.setBuffer(file, YAML.stringify(k), ++overlayVersion);
  let result;
  try {
    result = (changed ? cached.overlaid : cached.plain).build(dir, { loadRestrictor: ctx.loadRestrictor });
  } finally {
    if (changed) cached.overlay.deleteBuffer(file);
  }
  const warnings = result.warnings.map((w) => w.message);
  let objects: RenderedObject[] = result.resources.map((r: Resource) => ({ obj: JSON.parse(JSON.stringify(r.obj)) as Obj, source: r.origin.source }));

  if (kind === 'flux' && ctx.agent) {
    const common = isObj(spec.commonMetadata) ? spec.commonMetadata : {};
    const post = isObj(spec.postBuild) ? spec.postBuild : undefined;
    let vars: Record<string, string> | undefined;
    if (post) {
      vars = {};
      for (const ref of Array.isArray(post.substituteFrom) ? post.substituteFrom : []) {
        if (!isObj(ref) || typeof ref.name !== 'string') continue;
        const refKind = ref.kind === 'Secret' ? 'Secret' : 'ConfigMap';
        const data = await ctx.readVars?.(refKind, ctx.agent.namespace, ref.name);
        if (!data) {
          if (ref.optional === true) continue;
          throw new ClusterError({ kind: 'notFound', message: `postBuild.substituteFrom: ${refKind} ${ctx.agent.namespace}/${ref.name} not found` });
        }
        Object.assign(vars, data);
      }
      if (isObj(post.substitute)) for (const [n, v] of Object.entries(post.substitute)) vars[n] = String(v);
    }
    objects = objects.map((o) => {
      let obj = o.obj;
      const md = (isObj(obj.metadata) ? obj.metadata : (obj.metadata = {})) as Obj;
      if (isObj(common.labels)) md.labels = { ...(isObj(md.labels) ? md.labels : {}), ...common.labels };
      if (isObj(common.annotations)) md.annotations = { ...(isObj(md.annotations) ? md.annotations : {}), ...common.annotations };
      const ann = isObj(md.annotations) ? md.annotations : {};
      const labels = isObj(md.labels) ? md.labels : {};
      if (vars && ann['kustomize.toolkit.fluxcd.io/substitute'] !== 'disabled' && labels['kustomize.toolkit.fluxcd.io/substitute'] !== 'disabled') {
        obj = substituteObject(obj, vars);
      }
      const md2 = (isObj(obj.metadata) ? obj.metadata : (obj.metadata = {})) as Obj;
      md2.labels = { ...(isObj(md2.labels) ? md2.labels : {}), [FLUX_NAME]: ctx.agent!.name, [FLUX_NAMESPACE]: ctx.agent!.namespace };
      const a2 = isObj(md2.annotations) ? md2.annotations : {};
      const ssa = a2['kustomize.toolkit.fluxcd.io/ssa'];
      return { ...o, obj, ignore: ssa === 'Ignore' || ssa === 'ignore', ifNotPresent: ssa === 'IfNotPresent' };
    });
  }
  return { objects, files: result.files, warnings };
}

/** `kustomize edit set image` as Argo CD calls it: `[old=]new[:tag][@digest]`. */
function setImage(images: Obj[], spec: string): void {
  let name: string;
  let rest: string;
  const eq = spec.indexOf('=');
  if (eq >= 0) { name = spec.slice(0, eq); rest = spec.slice(eq + 1); } else { rest = spec; name = ''; }
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const entry: Obj = { name: name || rest };
  if (name && rest !== name) entry.newName = rest;
  if (tag) entry.newTag = tag;
  if (digest) entry.digest = digest;
  const i = images.findIndex((x) => x.name === entry.name);
  if (i >= 0) images[i] = entry; else images.push(entry);
}

/** The source of an Application that renders `dir` (spec.source, or the matching spec.sources entry). */
function argoSourceFor(app: Obj | undefined, dir?: string): Obj | undefined {
  const spec = isObj(app?.spec) ? app!.spec : undefined;
  if (!spec) return undefined;
  if (isObj(spec.source)) return spec.source;
  const sources = Array.isArray(spec.sources) ? spec.sources.filter(isObj) : [];
  if (dir) {
    const norm = (p: string): string => p.replace(/^\.\//, '').replace(/\/+$/, '');
    const hit = sources.find((s) => typeof s.path === 'string' && dir.endsWith('/' + norm(s.path)));
    if (hit) return hit;
  }
  return sources.find((s) => typeof s.path === 'string');
}

const VAR = /\$\$\{|\$\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-=])((?:[^}\\]|\\.)*))?\}/g;

/** Flux's envsubst over one manifest's YAML: ${var}, ${var:-default}, ${var:=default}, $${ escapes. */
function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(VAR, (m, name: string | undefined, op: string | undefined, dflt: string | undefined) => {
    if (m === '$${') return '${';
    const v = vars[name!];
    if (op === undefined) return v ?? '';
    const unsetOrEmpty = op.startsWith(':') ? v === undefined || v === '' : v === undefined;
    return unsetOrEmpty ? dflt ?? '' : v!;
  });
}

function substituteObject(obj: Obj, vars: Record<string, string>): Obj {
  const text = YAML.stringify(obj);
  if (!text.includes('$')) return obj;
  const parsed = YAML.parse(substitute(text, vars));
  return isObj(parsed) ? parsed : obj;
}
