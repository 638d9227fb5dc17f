// The shapes of kustomize's transformer configuration (api/types/fieldspec.go,
// api/internal/plugins/builtinconfig): defined apart so the default tables and the merge rules
// (transformer-config.ts) both depend on them and not on each other.

/** One field a transformer reads or writes: a `/`-separated path, limited to a group/version/kind (empty = any). */
export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  /** kustomize path syntax: `spec/template/spec/containers[]/image`, `\/` escapes a slash in a key. */
  path: string;
  /** Create the field (and missing maps on the way) when absent. */
  create?: boolean;
}

/** A kind that can be referred to by name, and the fields (in other kinds) that hold such references. */
export interface NameBackReference {
  group?: string;
  version?: string;
  kind: string;
  fieldSpecs: FieldSpec[];
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  /** Extra field specs for every `labels:` entry (empty by default; settable through configurations). */
  labels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackReference[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}
