// The `namespace:` transformer (kustomize v5.5 NamespaceTransformer and api/filters/namespace).
//
// For each resource (empty documents skipped), after remembering its id:
//  - metadata.namespace is set on every namespaceable kind (see k8s/scope.ts); cluster-scoped
//    kinds are left alone;
//  - RoleBinding / ClusterRoleBinding subjects get `namespace` per setRoleBindingSubjects:
//    'defaultOnly' (the default): subjects named "default" (any kind);
//    'allServiceAccounts': subjects of kind ServiceAccount; 'none': no subject;
//  - then the namespace field specs, except `metadata/namespace` (done above) and, unless the
//    resource's apiVersion is exactly "v1", `metadata/name` (so only a v1 Namespace is renamed to
//    the namespace). With the v5.5 defaults that is: v1 Namespace metadata.name, APIService
//    spec.service.namespace (created when missing) and CRD
//    spec.conversion.webhook.clientConfig.service.namespace (only when present).
//    Webhook configurations' clientConfig.service.namespace is NOT in the defaults, so it is kept.
//  - with unsetOnly, only fields that are missing, null or "" are set.
// After each resource, if another resource now has the same id (gvk, name, effective namespace)
// the build fails, as kustomize's does.

import { isObject, KustomizeError, type JsonValue, type Resource, type SourceRef } from '../resource';
import type { FieldSpec } from '../k8s/transformer-config';
import { effectiveNamespace, isNamespaceable } from '../k8s/scope';
import { gvkOf, notScalarMessage, scalarText, walkFieldSpecs } from './fieldspec';

type RoleBindingSubjectMode = 'defaultOnly' | 'allServiceAccounts' | 'none' | '';

export interface NamespaceOptions {
  namespace: string;
  /** Usually `config.namespace` of the transformer config. */
  fieldSpecs: readonly FieldSpec[];
  /** Set only where no namespace is set yet (NamespaceTransformer plugin option). */
  unsetOnly?: boolean;
  /** '' means the default, 'defaultOnly'. */
  setRoleBindingSubjects?: RoleBindingSubjectMode | string;
  /** The kustomization entry responsible (recorded in field origins). */
  source: SourceRef;
  /** Recorded as FieldChange.by; 'namespace' unless given. */
  by?: string;
}

const SUBJECT_MODES = ['defaultOnly', 'allServiceAccounts', 'none'];

export function applyNamespace(resources: Resource[], opts: NamespaceOptions): void {
  if (opts.namespace === '') return;
  const mode = opts.setRoleBindingSubjects || 'defaultOnly';
  if (!SUBJECT_MODES.includes(mode)) {
    throw new KustomizeError(
      `invalid value "${mode}" for setRoleBindingSubjects: must be one of "defaultOnly", "none" or "allServiceAccounts"`,
      opts.source,
    );
  }
  // How many resources hold each id right now: the conflict check after each change is O(1).
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(idKey(r), (counts.get(idKey(r)) ?? 0) + 1);

  for (const res of resources) {
    if (Object.keys(res.obj).length === 0) continue;
    const oldKey = idKey(res);
    counts.set(oldKey, (counts.get(oldKey) ?? 1) - 1);
    res.rememberId();
    setNamespace(res, mode, opts);
    const key = idKey(res);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (counts.get(key) !== 1) {
      const same = resources.filter((r) => idKey(r) === key);
      throw new KustomizeError(
        `namespace transformation produces ID conflict: [${same.map((r) => JSON.stringify(r.obj)).join(' ')}]`,
        opts.source,
      );
    }
  }
}

/** One resource: its own namespace, role binding subjects (by `mode`), and the field specs' fields. */
function setNamespace(res: Resource, mode: string, opts: NamespaceOptions): void {
  const ns = opts.namespace;
  const by = opts.by ?? 'namespace';
  const record = (path: string): void => res.recordChange(path, { by, source: opts.source, value: ns });
  const isUnset = (v: JsonValue | undefined): boolean => scalarText(v) === '';
  const gvk = gvkOf(res);

  if (isNamespaceable(gvk)) {
    const meta = res.metadata;
    if (!opts.unsetOnly || isUnset(meta.namespace)) {
      if (meta.namespace !== undefined && scalarText(meta.namespace) === undefined) {
        throw new KustomizeError(`namespace transformation failed: ${notScalarMessage(meta.namespace)}`, opts.source);
      }
      meta.namespace = ns;
      record('metadata.namespace');
    }
  }

  let specs = opts.fieldSpecs.filter((fs) =>
    fs.path !== 'metadata/namespace' && (fs.path !== 'metadata/name' || res.apiVersion === 'v1'));

  if (gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') {
    specs = specs.filter((fs) => !((fs.kind === 'RoleBinding' || fs.kind === 'ClusterRoleBinding') && fs.path === 'subjects/namespace'));
    const subjects = res.obj.subjects;
    if (mode !== 'none' && Array.isArray(subjects)) {
      subjects.forEach((s, i) => {
        if (!isObject(s)) return;
        const pick = mode === 'defaultOnly' ? s.name === 'default' : s.kind === 'ServiceAccount';
        if (!pick) return;
        if (opts.unsetOnly && !isUnset(s.namespace)) return;
        s.namespace = ns;
        record(`subjects[${i}].namespace`);
      });
    }
  }

  walkFieldSpecs(res, specs, (hit) => {
    if (scalarText(hit.value) === undefined) {
      throw new KustomizeError(`namespace field specs must target scalar nodes: ${notScalarMessage(hit.value)}`, opts.source);
    }
    if (opts.unsetOnly && !isUnset(hit.value)) return undefined;
    record(hit.path);
    return ns;
  }, { createKind: 'scalar' });
}

/** gvk, name and effective namespace: what kustomize compares to find two resources with one id. */
function idKey(res: Resource): string {
  const g = gvkOf(res);
  return `${g.group}|${g.version}|${g.kind}|${res.name}|${effectiveNamespace(g, res.namespace)}`;
}
