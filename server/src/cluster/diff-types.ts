// What a live diff answers (EnvironmentDiff, one ObjectDiff per object) and what it is asked
// (DiffOptions). diff.ts runs it; diff-steps.ts holds its pure steps.

import type { FileHost, SourceRef } from '../engine/index';
import type { ClusterFault, ConnectOptions } from './kube';
import type { AgentRef, RenderResult } from './render';
import type { ClusterSession } from './session';

export type ObjectState = 'unchanged' | 'changed' | 'new' | 'prune' | 'error' | 'skipped';

interface ObjectId { apiVersion: string; kind: string; namespace?: string; name: string }

export interface ObjectDiff {
  id: ObjectId;
  state: ObjectState;
  /** Compared on the client without a server dry-run (no rights, or the agent does so). */
  approximate: boolean;
  /** Field paths that differ (`spec.replicas`, `data.password`). */
  paths: string[];
  /** The object after the agent's apply, normalised, Secrets masked, as YAML (absent for prune). */
  desired?: string;
  /** The live object, normalised, Secrets masked, as YAML (absent for new). */
  live?: string;
  /** Where the rendered document came from. */
  source?: SourceRef;
  fault?: ClusterFault;
  note?: string;
}

export type DiffMode = 'server-side-apply' | 'client-side-apply' | 'approximate';

export interface EnvironmentDiff {
  dir: string;
  context: string;
  agent?: AgentRef;
  /** ok: complete; partial: some objects or kinds could not be compared (see faults); error: nothing could. */
  status: 'ok' | 'partial' | 'error';
  fault?: ClusterFault;
  mode: DiffMode;
  approximate: boolean;
  fieldManager: string;
  counts: Record<ObjectState, number>;
  objects: ObjectDiff[];
  notes: string[];
  inSync: boolean;
  /** Files the render read: an edit to one of them invalidates this result. */
  files: string[];
  ms: number;
}

export interface DiffOptions extends ConnectOptions {
  dir: string;
  /** Files (default: the disk); pass the language server's buffer host to include unsaved edits. */
  host?: FileHost;
  session?: ClusterSession;
  agent?: AgentRef;
  /** Namespace for namespaced objects that set none (default: the Application's destination, else the context's, else default). */
  defaultNamespace?: string;
  /** Requests in flight at most (default 8). */
  concurrency?: number;
  /** Whole-diff deadline (default 120 s). */
  deadlineMs?: number;
  signal?: AbortSignal;
  argoTracking?: 'annotation' | 'label' | 'annotation+label';
  /** Argo CD's own namespace (default argocd). */
  argoNamespace?: string;
  /** Field manager when no agent is linked. */
  fieldManager?: string;
  /** A render made already (skips rendering here). */
  render?: RenderResult;
  /** Ask for a dry-run even when the live object already holds the whole render (no fast path). */
  alwaysDryRun?: boolean;
  /** Never ask for a dry-run (forces the client-side prediction). */
  noDryRun?: boolean;
}
