// Typed view of a validated kustomization (field names as in kustomize's api/types).

import type { JsonObject } from '../resource';

export interface SelectorSpec {
  group?: string; version?: string; kind?: string; name?: string; namespace?: string;
  labelSelector?: string; annotationSelector?: string;
}

export interface GeneratorOptionsSpec {
  labels?: Record<string, string>; annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean; immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string; namespace?: string; behavior?: string;
  literals?: string[]; files?: string[]; envs?: string[]; env?: string;
  options?: GeneratorOptionsSpec; type?: string;
}

export interface PatchSpec { path?: string; patch?: string; target?: SelectorSpec; options?: { allowNameChange?: boolean; allowKindChange?: boolean } }
interface ImageSpec { name?: string; newName?: string; newTag?: string; tagSuffix?: string; digest?: string }
interface LabelSpec { pairs?: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean; fields?: JsonObject[] }
interface VarSpec { name?: string; objref?: { group?: string; version?: string; kind?: string; name?: string; namespace?: string; apiVersion?: string }; fieldref?: { fieldpath?: string } }

export interface KustomizationFields {
  apiVersion?: string;
  metadata?: JsonObject;
  openapi?: Record<string, string>;
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: LabelSpec[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: PatchSpec[];
  patches?: PatchSpec[];
  images?: ImageSpec[];
  imageTags?: ImageSpec[];
  replacements?: JsonObject[];
  replicas?: { name?: string; count?: number }[];
  vars?: VarSpec[];
  sortOptions?: { order?: string; legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] } };
  resources?: string[];
  components?: string[];
  crds?: string[];
  bases?: string[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  helmGlobals?: { chartHome?: string; configHome?: string };
  helmCharts?: JsonObject[];
  helmChartInflationGenerator?: JsonObject[];
  generatorOptions?: GeneratorOptionsSpec;
  configurations?: string[];
  generators?: string[];
  transformers?: string[];
  validators?: string[];
  buildMetadata?: string[];
}
