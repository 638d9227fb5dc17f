// The custom messages between the GitOps Lens language server and its clients, declared once.
// The client imports this module; nothing here may import server code (types from the LSP protocol
// packages only), so it bundles into the client unchanged.
//
// Every URI is a `file://` URI. Ranges are LSP ranges (0-based line/character, UTF-16).

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Range } from 'vscode-languageserver-protocol';

/** How an environment was found. */
export type EnvironmentKind = 'root' | 'flux' | 'argocd';

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
   * The schema it was checked against (`Kubernetes 1.27 (kubernetes-models 4.5.1)`, `CRD widgets.example.com
   * in widget.yaml`…); absent when no schema is known for its kind: unchecked, not valid.
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
}
export const RenderRequest = new RequestType<RenderParams, RenderResult | null, void>('gitopsLens/render');

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
