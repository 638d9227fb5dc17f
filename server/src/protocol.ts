// The custom messages between the GitOps Lens language server and its clients, declared once.
// The client imports this module; nothing here may import server code (types from the LSP protocol
// packages only), so it bundles into the client unchanged.
//
// Every URI is a `file://` URI. Ranges are LSP ranges (0-based line/character, UTF-16).

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Range } from 'vscode-languageserver-protocol';
import type { SettingKey } from './contributes';

export { COMMANDS, SECTION, SETTING_DEFAULTS, VERSION, VIEWS, type SettingKey } from './contributes';

/** How an environment was found. */
type EnvironmentKind = 'root' | 'flux' | 'argocd';

export interface EnvironmentInfo {
  /** The folder relative to its workspace folder, e.g. `apps/web/overlays/prod` (`.` for the folder itself). */
  id: string;
  /** The last path segment (or the Flux/Argo CD object's name); shown only where it is unique. */
  shortName: string;
  /** Whether `shortName` names only this environment in the whole workspace. */
  shortNameUnique: boolean;
  /** The folder that is built (a `file://` URI). */
  folder: string;
  /** The workspace folder it belongs to (a `file://` URI). */
  workspaceFolder: string;
  kind: EnvironmentKind;
  /**
   * How it was found: `not included by any other kustomization`, or the Flux `Kustomization` /
   * Argo CD `Application` that points at it (`flux Kustomization apps-prod in clusters/prod/apps.yaml`).
   */
  foundBy: string;
  /** For flux/argocd: where the object that points here is. */
  foundAt?: { uri: string; range: Range };
  /** Errors and warnings its last render produced (undefined while it has not been rendered yet). */
  problemCount?: number;
  /** `rendered`, `pending` (queued or stale), or `failed` (the render stopped at an error). */
  state: 'rendered' | 'pending' | 'failed';
}

/** How an environment is named to the user: its short name where it is unique, else its id. */
export function environmentLabel(e: Pick<EnvironmentInfo, 'id' | 'shortName' | 'shortNameUnique'>): string {
  return e.shortNameUnique ? e.shortName : e.id;
}

// ---- gitopsLens/environments -------------------------------------------------------------------

export interface EnvironmentsParams {
  /** Only the environments of this workspace folder (URI); all of them when omitted. */
  workspaceFolder?: string;
}
export interface EnvironmentsResult { environments: EnvironmentInfo[] }
export const EnvironmentsRequest = new RequestType<EnvironmentsParams, EnvironmentsResult, void>('gitopsLens/environments');

// ---- gitopsLens/environmentsForFile ------------------------------------------------------------

export interface EnvironmentsForFileParams { uri: string }
export interface EnvironmentsForFileResult {
  /** The environments whose render reads this file (kustomizations, resources, patches, generator inputs). */
  environments: EnvironmentInfo[];
  /** The kustomization roots that reference this file directly (folder URIs). */
  roots: string[];
}
export const EnvironmentsForFileRequest = new RequestType<EnvironmentsForFileParams, EnvironmentsForFileResult, void>('gitopsLens/environmentsForFile');

// ---- gitopsLens/render -------------------------------------------------------------------------

export interface RenderParams {
  /** The environment id (folder relative to its workspace folder) or short name. */
  environment?: string;
  /** Disambiguates `environment` in multi-root workspaces (a workspace folder URI). */
  workspaceFolder?: string;
  /**
   * A file (e.g. a base's kustomization or resource): render only the documents that come from the
   * folder of this file (its kustomization root), as they come out of the chosen `environment`.
   * Without `environment`, the first environment (by id) that includes the file is used.
   */
  uri?: string;
  /**
   * Secret `data`/`stringData` values are replaced by `<masked>` unless this is `false` (the client's
   * gitopsLens.preview.maskSecrets): unmasked values never leave the server unless asked for.
   */
  maskSecrets?: boolean;
}

export interface FieldOriginInfo {
  /** Dotted path in the rendered object (`spec.template.spec.containers[0].image`). */
  path: string;
  /** What set it: `patches`, `images`, `namePrefix`, `labels`, `replacements`, `configMapGenerator`… */
  by: string;
  /** The file and line responsible. */
  uri: string;
  range?: Range;
}

export interface RenderedDocument {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Where this document sits in `yaml` (the text of the result). */
  range: Range;
  /** The source document it came from (or the generator entry that made it). */
  origin: { uri: string; range?: Range; generator?: string };
  /** The last change of each field that a kustomization or patch set (fields not listed are as written in `origin`). */
  fields: FieldOriginInfo[];
  /** The kustomization roots (folder URIs) it passed through, innermost first. */
  via: string[];
  /**
   * The schema it was checked against (`Kubernetes v1.37.2 (API server OpenAPI)`, `Flux v2.9.5 CRD
   * (helm-controller v1.6.4)`, `CRD widgets.example.com in widget.yaml`…); absent when no schema is known for its kind: unchecked, not valid.
   */
  schema?: string;
}

export interface RenderProblem { message: string; uri?: string; range?: Range }

export interface RenderResult {
  environment: EnvironmentInfo;
  /** The YAML stream, as `kustomize build` prints it (only the selected documents when `uri` was given). */
  yaml: string;
  documents: RenderedDocument[];
  /**
   * Set when the render met an error (the first of `errors`). `yaml` then holds what could be
   * rendered without the failing entries, or the last good render when nothing could (see `stale`).
   */
  error?: RenderProblem;
  /** Every error of the render, each at the file and line that caused it. */
  errors?: RenderProblem[];
  /** True when `yaml` is the last successful render, shown because the current one renders nothing. */
  stale?: boolean;
  warnings: RenderProblem[];
  /** Increases with every render of this environment (compare with `didRender`). */
  version: number;
  /**
   * Set when an external binary rendered it (gitopsLens.renderer): it ran on the saved files, so
   * unsaved edits are not included, and documents carry their source document only (no field origins).
   */
  renderer?: { name: string; command: string; savedFilesOnly: true };
}
export const RenderRequest = new RequestType<RenderParams, RenderResult | null, void>('gitopsLens/render');

// ---- settings (initializationOptions.settings, workspace/didChangeConfiguration) ---------------

/**
 * The settings the server applies, in the flat form the client sends as `initializationOptions.settings`.
 * `workspace/didChangeConfiguration` may carry them in this form or as VS Code's nested
 * `{ gitopsLens: { helm: { path } … } }`; either applies without a restart.
 */
export interface ServerSettings {
  /** What renders for gitopsLens/render: the built-in engine (unsaved buffers, origins) or an external binary on the saved files. */
  renderer: 'builtin' | 'kustomize' | 'kubectl';
  kustomizePath: string;
  kubectlPath: string;
  /** A helm binary: helmCharts are inflated with it (kustomize's --enable-helm); empty: helmCharts fail as without --enable-helm. */
  helmPath: string;
  schemaEnabled: boolean;
  /** Extra CRDs for schema checks: files or folders (absolute or relative to each workspace folder) and http(s) URLs. */
  crdLocations: string[];
  /** Secret values in hovers (the preview asks per request, RenderParams.maskSecrets). */
  maskSecrets: boolean;
  diagnosticsEnabled: boolean;
  deprecatedFields: boolean;
  unreferencedFiles: boolean;
  targetsSelectingNothing: boolean;
  /** Workspace-relative globs of folders the server does not index (no environments, no diagnostics). */
  exclude: string[];
  /**
   * The Kubernetes version the workspace targets (`1.33`); empty: the version the bundled schemas come
   * from (kubernetesVersion() in server/src/schema/index.ts). When set, helm charts render with it as
   * Capabilities.KubeVersion (unless a chart says otherwise), as Argo CD and Flux render for their cluster.
   */
  kubernetesVersion: string;
  /** Remote bases and files are fetched (into the user's cache folder); off: they are missing inputs. */
  remoteEnabled: boolean;
}

/** Where each server setting lives in the `gitopsLens` configuration section (package.json). */
export const SERVER_SETTING_KEYS: { readonly [K in keyof ServerSettings]: SettingKey } = {
  renderer: 'renderer', kustomizePath: 'kustomizePath', kubectlPath: 'kubectlPath', helmPath: 'helm.path',
  schemaEnabled: 'schema.enabled', crdLocations: 'schema.crdLocations', maskSecrets: 'preview.maskSecrets',
  diagnosticsEnabled: 'diagnostics.enabled', deprecatedFields: 'diagnostics.deprecatedFields', unreferencedFiles: 'diagnostics.unreferencedFiles',
  targetsSelectingNothing: 'diagnostics.targetsSelectingNothing', exclude: 'exclude', kubernetesVersion: 'kubernetesVersion', remoteEnabled: 'remote.enabled',
};

// ---- gitopsLens/status -------------------------------------------------------------------------

export interface StatusResult {
  /** Environments waiting to be (re-)rendered. */
  pendingRenders: number;
  /** True when nothing is queued, debounced or running: diagnostics are up to date. */
  idle: boolean;
  environments: number;
  roots: number;
}
/** How busy the server is (for a status bar item; tests use it to wait for settled diagnostics). */
export const StatusRequest = new RequestType0<StatusResult, void>('gitopsLens/status');

/** Empties the cache of fetched remote bases and files (they are fetched again, when remote fetching is on). */
export const ClearRemoteCacheRequest = new RequestType0<void, void>('gitopsLens/clearRemoteCache');

// ---- gitopsLens/didRender ----------------------------------------------------------------------

export interface DidRenderParams {
  environment: EnvironmentInfo;
  version: number;
  /** True when the rendered output (the YAML text) differs from the previous render. */
  changed: boolean;
  error?: RenderProblem;
}
/** Sent after an environment was re-rendered (after an edit or a change on disk). */
export const DidRenderNotification = new NotificationType<DidRenderParams>('gitopsLens/didRender');

// ---- gitopsLens/didChangeEnvironments ----------------------------------------------------------

/** Sent when the set of environments changed (a kustomization or a Flux/Argo CD object was added or removed). */
export const DidChangeEnvironmentsNotification = new NotificationType<EnvironmentsResult>('gitopsLens/didChangeEnvironments');

// ---- live cluster: gitopsLens/clusterSettings, clusterStatus, clusterEnvironments, liveDiff, agentAction

/** The cluster settings (gitopsLens.cluster.*), sent by the client after each start and on each change. */
export interface ClusterSettings {
  /** `auto`: on when a kubeconfig exists; `on`; `off`. */
  liveDiff: 'auto' | 'on' | 'off';
  /** A kubeconfig file (empty: $KUBECONFIG, else ~/.kube/config). */
  kubeconfig: string;
  /**
   * Folder (relative to its workspace folder, or absolute) → kubeconfig context, or
   * `{ context, agent: "flux/NAMESPACE/NAME" | "argocd/NAMESPACE/NAME" }`.
   */
  contexts: Record<string, string | { context: string; agent?: string }>;
  /** Contexts searched for Argo CD Applications / Flux Kustomizations (empty: the current context). */
  discoverContexts: string[];
  /** Allow the commands that annotate agent objects (Flux reconcile, Argo CD refresh). Off by default. */
  agentActions: boolean;
}
export const ClusterSettingsRequest = new RequestType<ClusterSettings, void, void>('gitopsLens/clusterSettings');

export interface ClusterObjectId { apiVersion: string; kind: string; namespace?: string; name: string }

/** One environment linked to a cluster context and (usually) an agent object. */
export interface ClusterLinkInfo {
  /** Stable id of the link: `<folder uri>#<context>`. */
  id: string;
  /** The environment's folder (a `file://` URI). */
  folder: string;
  /** The environment id (as in EnvironmentInfo) and its label in the lens. */
  environment: string;
  label: string;
  context: string;
  agent?: { kind: 'flux' | 'argocd'; namespace: string; name: string };
  foundBy: 'setting' | 'argocd' | 'flux';
  /** How it was found, in words. */
  how: string;
}

export interface AgentStatusInfo {
  found: boolean;
  /** Argo CD sync status (Synced / OutOfSync / Unknown); Flux: Ready / NotReady / Unknown. */
  sync?: string;
  health?: string;
  operationPhase?: string;
  revision?: string;
  /** Flux Ready condition. */
  ready?: { status: string; reason?: string; message?: string };
  lastAttemptedRevision?: string;
  suspended?: boolean;
  revisionVsHead: 'head' | 'behind' | 'ahead-or-diverged' | 'unknown';
  summary: string;
  fault?: { kind: string; message: string };
}

export interface ClusterStatusParams {
  link: ClusterLinkInfo;
  /** comparing: no result yet; ok / partial / error as the diff's status. */
  state: 'comparing' | 'ok' | 'partial' | 'error';
  /** The lens line: `prod (ctx): 2 changed · 1 new · 1 to prune`, `… in sync`, or the fault. */
  summary: string;
  counts?: { unchanged: number; changed: number; new: number; prune: number; error: number; skipped: number };
  approximate?: boolean;
  mode?: string;
  fault?: { kind: string; message: string };
  notes: string[];
  agent?: AgentStatusInfo;
  /** True while a recompute is under way (the numbers are the previous result's). */
  busy: boolean;
}
/** Sent per linked environment whenever its diff or its agent's status changes. */
export const ClusterStatusNotification = new NotificationType<ClusterStatusParams>('gitopsLens/clusterStatus');

export interface ClusterEnvironmentsResult {
  /** Whether live diff runs, and why not. */
  enabled: boolean;
  reason?: string;
  /** Linking problems (cluster unreachable, CRD not installed…). */
  faults: string[];
  environments: ClusterStatusParams[];
}
export const ClusterEnvironmentsRequest = new RequestType0<ClusterEnvironmentsResult, void>('gitopsLens/clusterEnvironments');

export interface LiveDiffParams {
  link: string;
  /** One object; the whole environment when omitted. */
  object?: ClusterObjectId;
}
export interface LiveDiffResult {
  title: string;
  /** Masked, normalised YAML: the live object(s), and what the cluster would hold after this change. */
  live: string;
  desired: string;
  state: string;
  approximate: boolean;
}
export const LiveDiffRequest = new RequestType<LiveDiffParams, LiveDiffResult | null, void>('gitopsLens/liveDiff');

export interface AgentActionParams { link: string; action: 'flux-reconcile' | 'argocd-refresh' }
export interface AgentActionResult { ok: boolean; message: string }
/** Refused unless the agentActions setting is on; the client sends it only for an explicit user command. */
export const AgentActionRequest = new RequestType<AgentActionParams, AgentActionResult, void>('gitopsLens/agentAction');

/**
 * The meaning of `gitopsLens.exclude`, for the server (what it indexes) and the client (what it
 * shows) alike: workspace-relative globs (`vendor/**`, `legacy`, `apps/*\/old`, `**\/charts`) naming
 * folders or files; a folder's contents are excluded with it. `*` and `?` stay within one path
 * segment; `**\/` is any number of whole segments, so `**\/vendor` is `vendor` at any depth, never
 * `myvendor`.
 */
export function excludeMatcher(globs: readonly string[]): (relPath: string) => boolean {
  const res = globs.map(excludeGlobToRegExp);
  return (rel) => res.some((re) => re.test(rel));
}

function excludeGlobToRegExp(glob: string): RegExp {
  const g = glob.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i]!;
    if (ch === '*' && g[i + 1] === '*') {
      if (g[i + 2] === '/') { re += '(?:.*/)?'; i += 2; } else { re += '.*'; i++; }
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(/.*)?$`);
}
