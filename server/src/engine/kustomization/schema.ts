// The shape of a kustomization file as kustomize v5.5 accepts it (api/types in kustomize), written as
// data: the loader validates against it with kustomize's wording, and the language server uses it for
// completion, hover and deprecation warnings.

export type FieldType =
  | { t: 'string' } | { t: 'bool' } | { t: 'int' } | { t: 'any' }
  | { t: 'list'; of: FieldType }
  | { t: 'map'; of: FieldType }
  | { t: 'object'; fields: Record<string, FieldDoc>; name: string };

export interface FieldDoc {
  type: FieldType;
  doc: string;
  /** Deprecated in kustomize v5: what replaces it. */
  deprecated?: string;
  /** The value is a path (file or folder) relative to the kustomization. */
  path?: 'file' | 'dir' | 'file-or-dir';
}

const S: FieldType = { t: 'string' };
const B: FieldType = { t: 'bool' };
const I: FieldType = { t: 'int' };
const A: FieldType = { t: 'any' };
const list = (of: FieldType): FieldType => ({ t: 'list', of });
const map = (of: FieldType): FieldType => ({ t: 'map', of });
export type ObjectType = Extract<FieldType, { t: 'object' }>;
const obj = (name: string, fields: Record<string, FieldDoc>): ObjectType => ({ t: 'object', name, fields });
const f = (type: FieldType, doc: string, extra: Partial<FieldDoc> = {}): FieldDoc => ({ type, doc, ...extra });

const fieldSpec = obj('FieldSpec', {
  group: f(S, 'API group of the kinds this applies to (empty: any).'),
  version: f(S, 'API version (empty: any).'),
  kind: f(S, 'Kind (empty: any).'),
  path: f(S, 'Slash-separated path of the field, e.g. `spec/template/metadata/labels`.'),
  create: f(B, 'Create the field when it is missing.'),
});

const selectorFields: Record<string, FieldDoc> = {
  group: f(S, 'API group of the resources to select.'),
  version: f(S, 'API version of the resources to select.'),
  kind: f(S, 'Kind of the resources to select (a regular expression).'),
  name: f(S, 'Name of the resources to select (a regular expression, matched against current and original names).'),
  namespace: f(S, 'Namespace of the resources to select (a regular expression).'),
  labelSelector: f(S, 'A label selector, e.g. `app=web,tier!=db`.'),
  annotationSelector: f(S, 'An annotation selector, e.g. `team=payments`.'),
};
const selector = obj('Selector', selectorFields);

const generatorOptionsFields: Record<string, FieldDoc> = {
  labels: f(map(S), 'Labels added to the generated objects.'),
  annotations: f(map(S), 'Annotations added to the generated objects.'),
  disableNameSuffixHash: f(B, 'Do not append the content hash to the generated name.'),
  immutable: f(B, 'Mark the generated ConfigMap or Secret immutable.'),
};
const generatorOptions = obj('GeneratorOptions', generatorOptionsFields);

const generatorFields: Record<string, FieldDoc> = {
  name: f(S, 'Name of the generated object (before prefix, suffix and hash).'),
  namespace: f(S, 'Namespace of the generated object.'),
  behavior: f(S, '`create` (default), `merge` or `replace` an object of the same name from a base.'),
  literals: f(list(S), '`KEY=value` pairs.'),
  files: f(list(S), 'Files whose content becomes a value; `key=path` sets the key.', { path: 'file' }),
  envs: f(list(S), 'Env files of `KEY=value` lines.', { path: 'file' }),
  env: f(S, 'A single env file.', { deprecated: 'envs', path: 'file' }),
  options: f(generatorOptions, 'Options for this generator, merged over `generatorOptions`.'),
};
export const configMapArgs = obj('ConfigMapArgs', generatorFields);
export const secretArgs = obj('SecretArgs', { ...generatorFields, type: f(S, 'Secret type, e.g. `kubernetes.io/tls` (default `Opaque`).') });

const patchOptions = obj('PatchOptions', {
  allowNameChange: f(B, 'Let the patch change the name of its target.'),
  allowKindChange: f(B, 'Let the patch change the kind of its target.'),
});

const targetSelector = obj('TargetSelector', {
  select: f(selector, 'The objects to change.'),
  reject: f(list(selector), 'Objects to leave alone.'),
  fieldPaths: f(list(S), 'Dot-separated paths of the fields to set, e.g. `spec.template.spec.containers.[name=app].image`.'),
  options: f(obj('FieldOptions', {
    delimiter: f(S, 'Split the target value on this delimiter...'),
    index: f(I, '...and replace the part at this index.'),
    encoding: f(S, 'Encoding of the value.'),
    create: f(B, 'Create the field when it is missing.'),
  }), 'How the value is written.'),
});

const replacement = obj('Replacement', {
  path: f(S, 'A file holding replacements.', { path: 'file' }),
  source: f(obj('SourceSelector', {
    ...selectorFields,
    fieldPath: f(S, 'Dot-separated path of the value to copy (default `metadata.name`).'),
    options: f(obj('FieldOptions', {
      delimiter: f(S, 'Split the source value on this delimiter...'),
      index: f(I, '...and take the part at this index.'),
      encoding: f(S, 'Encoding of the value.'),
      create: f(B, 'Unused for sources.'),
    }), 'How the value is read.'),
  }), 'The object and field to copy from.'),
  targets: f(list(targetSelector), 'Where the value is written.'),
});

const helmChart = obj('HelmChart', {
  name: f(S, 'Chart name.'), version: f(S, 'Chart version.'), repo: f(S, 'Chart repository URL.'),
  releaseName: f(S, 'Release name.'), namespace: f(S, 'Release namespace.'),
  additionalValuesFiles: f(list(S), 'Extra values files.', { path: 'file' }), valuesFile: f(S, 'Values file.', { path: 'file' }),
  valuesInline: f(A, 'Inline values.'), valuesMerge: f(S, '`merge`, `override` or `replace`.'),
  includeCRDs: f(B, 'Render the chart\'s CRDs too.'), skipHooks: f(B, 'Leave hooks out.'),
  apiVersions: f(list(S), 'Kubernetes API versions for Capabilities.'), kubeVersion: f(S, 'Kubernetes version for Capabilities.'),
  nameTemplate: f(S, 'Release name template.'), skipTests: f(B, 'Leave tests out.'), debug: f(B, 'helm --debug.'),
  devel: f(B, 'Allow development versions.'),
});

export const kustomizationFields: Record<string, FieldDoc> = {
  apiVersion: f(S, '`kustomize.config.k8s.io/v1beta1` (Kustomization) or `kustomize.config.k8s.io/v1alpha1` (Component).'),
  kind: f(S, '`Kustomization` or `Component`.'),
  metadata: f(obj('ObjectMeta', {
    name: f(S, 'Name (informational).'), namespace: f(S, 'Namespace (informational).'),
    labels: f(map(S), 'Labels (informational).'), annotations: f(map(S), 'Annotations (informational).'),
  }), 'Metadata of the kustomization itself; it does not change the output.'),
  openapi: f(map(S), 'Schema used for strategic-merge patches: `path: schema.json` or `version: v1.21.2`.'),
  namePrefix: f(S, 'Prepended to the name of every resource (and to the references to them).'),
  nameSuffix: f(S, 'Appended to the name of every resource (and to the references to them).'),
  namespace: f(S, 'Sets the namespace of every namespaced resource.'),
  commonLabels: f(map(S), 'Labels added to every resource and to selectors and templates.', { deprecated: 'labels' }),
  labels: f(list(obj('Label', {
    pairs: f(map(S), 'The labels.'),
    includeSelectors: f(B, 'Also add them to selectors (and templates), like `commonLabels`.'),
    includeTemplates: f(B, 'Also add them to pod templates.'),
    fields: f(list(fieldSpec), 'More fields to put them in.'),
  })), 'Labels added to every resource; selectors and templates only when asked.'),
  commonAnnotations: f(map(S), 'Annotations added to every resource (and pod templates).'),
  patchesStrategicMerge: f(list(S), 'Strategic-merge patches (files or inline YAML).', { deprecated: 'patches', path: 'file' }),
  patchesJson6902: f(list(obj('Patch', {
    path: f(S, 'A file of JSON 6902 operations.', { path: 'file' }),
    patch: f(S, 'Inline JSON 6902 operations.'),
    target: f(selector, 'The object to patch.'),
    options: f(patchOptions, 'Patch options.'),
  })), 'JSON 6902 patches.', { deprecated: 'patches' }),
  patches: f(list(obj('Patch', {
    path: f(S, 'A patch file: strategic merge or JSON 6902.', { path: 'file' }),
    patch: f(S, 'An inline patch: strategic merge or JSON 6902.'),
    target: f(selector, 'The objects to patch (default: the object the patch names).'),
    options: f(patchOptions, 'Patch options.'),
  })), 'Patches, strategic merge or JSON 6902, with optional target selectors.'),
  images: f(list(obj('Image', {
    name: f(S, 'The image name to match in containers.'),
    newName: f(S, 'Replace the name.'),
    newTag: f(S, 'Replace the tag.'),
    tagSuffix: f(S, 'Append to the tag.'),
    digest: f(S, 'Replace the tag with this digest.'),
  })), 'Change image names, tags and digests.'),
  imageTags: f(list(obj('Image', {
    name: f(S, 'The image name to match.'), newName: f(S, 'Replace the name.'), newTag: f(S, 'Replace the tag.'),
    tagSuffix: f(S, 'Append to the tag.'), digest: f(S, 'Replace the tag with this digest.'),
  })), 'Old name of `images`.', { deprecated: 'images' }),
  replacements: f(list(replacement), 'Copy a field of one object into fields of others.'),
  replicas: f(list(obj('Replica', { name: f(S, 'Name of the workload.'), count: f(I, 'Replica count.') })), 'Set replica counts by name.'),
  vars: f(list(obj('Var', {
    name: f(S, 'The variable, used as `$(NAME)`.'),
    objref: f(obj('Target', {
      group: f(S, 'Group.'), version: f(S, 'Version.'), kind: f(S, 'Kind.'), name: f(S, 'Name.'),
      namespace: f(S, 'Namespace.'), apiVersion: f(S, 'apiVersion.'),
    }), 'The object the value comes from.'),
    fieldref: f(obj('FieldSelector', { fieldpath: f(S, 'Field path (default `metadata.name`).') }), 'The field the value comes from.'),
  })), 'Variables substituted into `$(NAME)` references.', { deprecated: 'replacements' }),
  sortOptions: f(obj('SortOptions', {
    order: f(S, '`legacy` or `fifo`.'),
    legacySortOptions: f(obj('LegacySortOptions', {
      orderFirst: f(list(S), 'Kinds printed first.'), orderLast: f(list(S), 'Kinds printed last.'),
    }), 'Kind order for the legacy sort.'),
  }), 'Output order.'),
  resources: f(list(S), 'Resource files, directories and kustomization roots.', { path: 'file-or-dir' }),
  components: f(list(S), 'Components (kind Component) applied to what is accumulated so far.', { path: 'dir' }),
  crds: f(list(S), 'CRD files whose schemas teach kustomize name references.', { path: 'file' }),
  // kustomize appends bases to resources, so a file there builds as well as a folder.
  bases: f(list(S), 'Old name of `resources` for kustomization roots.', { deprecated: 'resources', path: 'file-or-dir' }),
  configMapGenerator: f(list(configMapArgs), 'Generate ConfigMaps from literals, files and env files.'),
  secretGenerator: f(list(secretArgs), 'Generate Secrets from literals, files and env files.'),
  helmGlobals: f(obj('HelmGlobals', { chartHome: f(S, 'Folder of charts.'), configHome: f(S, 'Helm config folder.') }), 'Helm settings.'),
  helmCharts: f(list(helmChart), 'Helm charts inflated with `helm template` (needs --enable-helm).'),
  helmChartInflationGenerator: f(list(A), 'Old form of `helmCharts`.', { deprecated: 'helmCharts' }),
  generatorOptions: f(generatorOptions, 'Options for every generator of this kustomization.'),
  configurations: f(list(S), 'Transformer configuration files (field specs for custom kinds).', { path: 'file' }),
  generators: f(list(S), 'Generator configurations (files or inline YAML).', { path: 'file-or-dir' }),
  transformers: f(list(S), 'Transformer configurations (files or inline YAML).', { path: 'file-or-dir' }),
  validators: f(list(S), 'Validator configurations.', { path: 'file-or-dir' }),
  buildMetadata: f(list(S), '`originAnnotations`, `transformerAnnotations`, `managedByLabel`.'),
};

export const kustomizationType: FieldType = obj('Kustomization', kustomizationFields);

/**
 * The deprecated fields `kustomize build` warns about, in the order it checks them
 * (types.Kustomization.CheckDeprecatedFields); each field's `deprecated` says what replaces it.
 * (helmChartInflationGenerator is deprecated too, but kustomize converts it without a warning.)
 */
export const BUILD_WARNS_DEPRECATED = ['bases', 'commonLabels', 'imageTags', 'patchesJson6902', 'patchesStrategicMerge', 'vars'] as const;

/**
 * The field of an object type that a key of the file sets, matched as Go's encoding/json matches
 * object keys to struct fields (kustomize decodes kustomization files with it): the exact name first,
 * else the name equal under case folding (`nameprefix`, `fieldRef` and `NAMEPREFIX` all set
 * `namePrefix`). Returns the canonical name with the field.
 */
export function fieldOf(t: ObjectType, key: string): { name: string; doc: FieldDoc } | undefined {
  const exact = t.fields[key];
  if (exact && Object.prototype.hasOwnProperty.call(t.fields, key)) return { name: key, doc: exact };
  let folded = foldedNames.get(t);
  if (!folded) {
    folded = new Map(Object.keys(t.fields).map((n) => [foldName(n), n]));
    foldedNames.set(t, folded);
  }
  const name = folded.get(foldName(key));
  return name === undefined ? undefined : { name, doc: t.fields[name]! };
}

const foldedNames = new WeakMap<object, Map<string, string>>();

/** Go's case folding of names as encoding/json applies it (K and ſ fold to k and s, as Unicode's simple folding says). */
export function foldName(s: string): string {
  return s.replace(/\u212a/g, 'k').replace(/\u017f/g, 's').toLowerCase();
}
