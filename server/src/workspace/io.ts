// Everything the workspace model needs from outside the process's memory, injected: the files
// beneath the editor's buffers, the network (CRD locations given as URLs), and processes (helm for
// helmCharts, an external renderer). disk-io.ts gives the real ones; memory-io.ts gives an
// in-memory tree with no network and no processes, so tests build a whole workspace in process.

import type { FileHost, HelmRunner, RemoteSources } from '../engine/index';
import type { HelmOverrides } from './helm';

export interface ExternalRenderer {
  kind: 'kustomize' | 'kubectl';
  /** The binary (a path, or a name looked up on PATH). */
  command: string;
  /** When set: kustomize's --enable-helm with this --helm-command. */
  helmCommand?: string;
}

export interface ExternalOutput { yaml: string; stderr: string; error?: string; ms: number }

export interface WorkspaceIO {
  /** The workspace's files as saved (open buffers are laid over them). */
  readonly files: FileHost;
  /** The text at an http(s) URL; rejects when it cannot be had. */
  fetchText(url: string): Promise<{ status: number; text: string }>;
  /** kustomize's --enable-helm runner with this helm binary; `hint` says how to configure one. */
  helmRunner(binary: string, overrides: HelmOverrides, hint: string): HelmRunner;
  /** Runs an external renderer on the saved files of `dir`. Never rejects: failures are `error`. */
  runRenderer(r: ExternalRenderer, dir: string): Promise<ExternalOutput>;
  /**
   * Remote bases and files, fetched in the background into a cache (`onFetched`: something new
   * arrived, render again); undefined where nothing can be fetched.
   */
  remoteSources(events: { onFetched(what: string): void; onProgress(what: string, state: 'start' | 'done' | 'failed'): void }): (RemoteSources & { clear(): void }) | undefined;
  /** An environment variable (GITOPS_LENS_SCHEMA=off turns schema checks off for benches). */
  env(name: string): string | undefined;
}
