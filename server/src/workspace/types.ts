// The workspace model's data: folders, environments, and what a render of a root keeps. Plain
// types, shared by the parts of the model (workspace/*.ts) and the features that read it.

import type { BuildResult, MissingInput, SourceRef } from '../engine/index';

export interface Folder { uri: string; path: string; name: string; repoRoot: string }

export interface Environment {
  /** Unique inside the server: `<folder path>#<id>`. */
  key: string;
  id: string;
  dir: string;
  folder: Folder;
  kind: 'root' | 'flux' | 'argocd';
  foundBy: string;
  foundAt?: SourceRef;
  name: string;
}

export interface RenderProblem {
  message: string;
  source?: SourceRef;
  /** Set when the render could not have this input (remote, helm off, plugin): it is incomplete, not wrong. */
  missing?: MissingInput;
}

export interface RenderState {
  dir: string;
  version: number;
  /** What rendered: with errors, the parts that could be rendered (each failing entry skipped). */
  result?: BuildResult;
  /** Every error of this render, each at the file and line that caused it. */
  errors: RenderProblem[];
  /** The first of `errors` (what kustomize itself would stop at). */
  error?: RenderProblem;
  /**
   * Some input could not be had (a remote base, helm charts with helm off, a plugin): what rendered
   * lacks it, so nothing is concluded from an absence (no "selects nothing", no follow-on errors).
   */
  incomplete: boolean;
  /** The last render without errors. */
  lastGood?: BuildResult;
  /**
   * The resources of `result` are outlines (what selectors and diagnostics read), and `lastGood` is
   * dropped: no open document is read by this render and no feature asked for it lately.
   * WorkspaceView.render builds it whole again when asked.
   */
  outlineOnly?: boolean;
  /**
   * A digest of what rendered (undefined when the render threw): whether a re-render changed
   * anything. The YAML text is not kept (a CRD-heavy environment prints megabytes, and every
   * environment of a repository would hold its own); the preview writes it when asked.
   */
  digest?: string;
  /** Whether the digest differs from the render before it. */
  changed: boolean;
  files: Set<string>;
  dirty: boolean;
  ms: number;
  /** Schema problems of the rendered objects, each at the source line that set the field. */
  schema: SchemaProblem[];
  /** Rendered objects no known schema covers (checked by nothing: not "valid"). */
  unchecked: { kind: string; apiVersion: string; name: string; source: SourceRef }[];
}

export interface UncheckedKind { apiVersion: string; kind: string; name: string; source: SourceRef; objects: number }

interface SchemaProblem {
  message: string;
  source: SourceRef;
  kind: 'unknown' | 'type' | 'required' | 'enum';
  /** The object, e.g. `Deployment web`, and the field path in it. */
  object: string;
  path: string;
  id: { apiVersion: string; kind: string; name: string; namespace?: string };
}
