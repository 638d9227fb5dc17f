// What features read: a read-only view of the workspace model. Features answer requests from it and
// never change the model (edits, settings and folders go through the Workspace, in server.ts); the
// one thing a read can do is build a render that is missing or stale, as a query system computes a
// value on first use.

import type { Engine, SourceRef } from '../engine/index';
import type { ServerSettings } from '../protocol';
import type { SchemaRegistry } from '../schema/index';
import type { ExternalCache, ExternalRenderer } from './external';
import type { BufferHost } from './host';
import type { WorkspaceIO } from './io';
import type { Root } from './roots';
import type { Environment, Folder, RenderState, UncheckedKind } from './types';

export interface WorkspaceView {
  /** The files as the editor has them: open buffers over the saved files. */
  readonly host: Pick<BufferHost, 'stat' | 'readFile' | 'readDirectory' | 'isOpen' | 'bufferText' | 'openPaths'>;
  /** The saved files, network and processes (the external renderer). */
  readonly io: WorkspaceIO;
  readonly engine: Engine;
  readonly schemas: SchemaRegistry;
  readonly settings: Readonly<ServerSettings>;
  /** Whether rendered objects are schema-checked. */
  readonly schemaChecks: boolean;
  readonly folders: readonly Folder[];
  readonly roots: ReadonlyMap<string, Root>;
  /** YAML files that are not kustomizations (for unreferenced-file hints and Flux/Argo CD objects). */
  readonly yamlFiles: ReadonlySet<string>;
  readonly environments: readonly Environment[];
  readonly renders: ReadonlyMap<string, RenderState>;
  /** External renders (gitopsLens.renderer), by environment folder. */
  readonly external: ExternalCache;

  /** The render of a root for a feature: whole, built now when missing, stale or kept in outline. */
  render(dir: string): RenderState;
  envForDir(dir: string): Environment | undefined;
  folderOf(p: string): Folder | undefined;
  isExcluded(p: string): boolean;
  /** Roots (folders) whose render reads `file`, statically or as last rendered. */
  rootsReading(file: string): Set<string>;
  environmentsForFile(file: string): Environment[];
  rootsReferencing(file: string): Root[];
  rootOf(file: string): Root | undefined;
  reachableRoots(dir: string): Set<string>;
  includers(dir: string): Set<string>;
  passingThrough(dir: string): Set<string>;
  environmentsOfRoot(dir: string): Environment[];
  /** The file a render error belongs to: its source, or the kustomization of a folder it names. */
  errorFile(source: SourceRef | undefined, dir: string): string;
  rootsWithErrorIn(file: string): string[];
  uncheckedKinds(): Map<string, UncheckedKind>;
  /** The external renderer in force, or undefined for the built-in one. */
  externalRenderer(): ExternalRenderer | undefined;
}
