// What a transformer sees of the build it runs in: the kustomization being built, its merged
// transformer config, file loading under the build's load restrictor, and the target's few
// services (the error guard, patch selection counts, a folder's accumulation). An interface, so
// the transformers and patches depend on it and not on the target (target.ts implements it).

import type { Accumulator } from './accumulator';
import type { FileKind } from './host';
import type { OpenApiSchemas } from './k8s/openapi';
import type { TransformerConfig } from './k8s/transformer-config';
import type { Kustomization } from './kustomization/load';
import type { SourceRef } from './resource';
import type { ParsedFile } from './yamlio';

/** The build's services a transformer may use. */
interface BuildServices {
  /** Runs a step; with collectErrors a user error is recorded and the build goes on. */
  guard(fn: () => void): void;
  /** How many resources a patch entry selected (for the "selects nothing" diagnostic). */
  noteSelection(source: SourceRef, kind: 'patch', matched: number): void;
  stat(path: string): FileKind | undefined;
}

/** The kustomization target a transformer runs for. */
export interface TargetServices {
  readonly k: Kustomization;
  readonly dir: string;
  readonly ctx: BuildServices;
  /** Parses a file named relative to the kustomization (load restriction enforced). */
  parseFile(rel: string, source: SourceRef): ParsedFile;
  /** What the kustomization in folder `abs` accumulates (a `transformers:` entry may name one). */
  accumulateDir(abs: string): Accumulator;
}

export interface TransformContext {
  k: Kustomization;
  config: TransformerConfig;
  target: TargetServices;
  loadFile(rel: string, source: SourceRef): string;
  parseFile(rel: string, source: SourceRef): ParsedFile;
  /** Parses a file named relative to the kustomization (load restriction enforced). */
  parseFileOrText(rel: string, source: SourceRef): ParsedFile;
  schemaExtras(): OpenApiSchemas | undefined;
}
