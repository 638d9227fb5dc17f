// The pure steps of the live diff (server/src/cluster/diff-steps.ts), table by table, with no API
// server: the plan (field manager, apply mode, default namespace, Argo CD app name), placement,
// the local prediction and comparison, the prune rule, and the agent's inventory. Each table is
// printed one row per line and compared whole (UPDATE_EXPECT=1 rewrites the expectations).

import { describe, it } from 'node:test';
import type { ResourceInfo } from '../../server/src/cluster/discovery';
import { compareObject, placeObject, planDiff, predictLocally, pruneCandidates, trackedByAgent, type DiffPlan, type Placed, type PlanInput } from '../../server/src/cluster/diff-steps';
import type { ObjectDiff } from '../../server/src/cluster/diff-types';
import type { Obj } from '../../server/src/cluster/objects';
import { check, expect } from '../server/check';

const info = (kind: string, namespaced = true, group = ''): ResourceInfo => ({ group, version: 'v1', kind, resource: `${kind.toLowerCase()}s`, namespaced, verbs: ['get', 'list', 'patch'] });
const flux = { kind: 'flux' as const, namespace: 'flux-system', name: 'apps' };
const argo = { kind: 'argocd' as const, namespace: 'argocd', name: 'web' };
const argoElsewhere = { kind: 'argocd' as const, namespace: 'team-a', name: 'web' };

describe('live diff steps', () => {
  it('plan: field manager, apply mode, default namespace, Argo CD application name', () => {
    const rows: [string, PlanInput][] = [
      ['no agent', { canDryRun: true }],
      ['no agent, own field manager, no dry-run', { canDryRun: false, fieldManager: 'me', contextNamespace: 'ctx' }],
      ['flux agent not found', { agent: flux, canDryRun: true }],
      ['flux', { agent: flux, agentObject: { spec: {} }, canDryRun: true, contextNamespace: 'ctx' }],
      ['flux without dry-run', { agent: flux, agentObject: { spec: {} }, canDryRun: false }],
      ['argocd', { agent: argo, agentObject: { spec: { destination: { namespace: 'web' } } }, canDryRun: true, contextNamespace: 'ctx' }],
      ['argocd, ServerSideApply=true', { agent: argo, agentObject: { spec: { syncPolicy: { syncOptions: ['ServerSideApply=true'] } } }, canDryRun: true }],
      ['argocd outside its namespace', { agent: argoElsewhere, agentObject: { spec: {} }, canDryRun: false, defaultNamespace: 'given' }],
    ];
    const out = rows.map(([name, p]) => { const d = planDiff(p); return `${name}: ${d.agent?.kind ?? '-'} ${d.fieldManager} ${d.mode} ns=${d.defaultNs} app=${d.appName || '-'}`; });
    check(out.join('\n'), expect`
      no agent: - gitops-lens server-side-apply ns=default app=-
      no agent, own field manager, no dry-run: - me approximate ns=ctx app=-
      flux agent not found: - gitops-lens server-side-apply ns=default app=-
      flux: flux kustomize-controller server-side-apply ns=ctx app=-
      flux without dry-run: flux kustomize-controller approximate ns=default app=-
      argocd: argocd argocd-controller client-side-apply ns=web app=web
      argocd, ServerSideApply=true: argocd argocd-controller server-side-apply ns=default app=web
      argocd outside its namespace: argocd argocd-controller client-side-apply ns=given app=team-a_web
    `);
  });

  it('placement: namespace defaulted or dropped, Argo CD tracking, unserved kinds', () => {
    const plain = planDiff({ canDryRun: true, defaultNamespace: 'dflt' });
    const tracked = (argoTracking: DiffPlan['argoTracking']) => planDiff({ agent: argoElsewhere, agentObject: { spec: {} }, canDryRun: true, argoTracking });
    const rows: [string, Obj, ResourceInfo | undefined, DiffPlan][] = [
      ['namespaced, none set', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, info('ConfigMap'), plain],
      ['namespaced, set', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'own' } }, info('ConfigMap'), plain],
      ['cluster-scoped with a namespace', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'x' } }, info('ClusterRole', false, 'rbac.authorization.k8s.io'), plain],
      ['no metadata', { apiVersion: 'v1', kind: 'ConfigMap' }, info('ConfigMap'), plain],
      ['argocd annotation', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' } }, info('Deployment', true, 'apps'), tracked('annotation')],
      ['argocd label', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w', labels: { a: 'b' } } }, info('Deployment', true, 'apps'), tracked('label')],
      ['argocd annotation+label', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, info('Namespace', false), tracked('annotation+label')],
      ['kind not served', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'x' } }, undefined, plain],
    ];
    const out = rows.map(([name, obj, i, plan]) => {
      const p = placeObject({ obj }, i, plan);
      return 'r' in p ? `${name}: ${p.ns ?? '(cluster)'} ${JSON.stringify(p.r.obj.metadata)}` : `${name}: ${p.state} ${p.fault?.kind}: ${p.fault?.message}`;
    });
    check(out.join('\n'), expect`
      namespaced, none set: dflt {"name":"a","namespace":"dflt"}
      namespaced, set: own {"name":"a","namespace":"own"}
      cluster-scoped with a namespace: (cluster) {"name":"r"}
      no metadata: dflt {"namespace":"dflt"}
      argocd annotation: default {"name":"w","namespace":"default","annotations":{"argocd.argoproj.io/tracking-id":"team-a_web:apps/Deployment:default/w"}}
      argocd label: default {"name":"w","labels":{"a":"b","app.kubernetes.io/instance":"team-a_web"},"namespace":"default"}
      argocd annotation+label: (cluster) {"name":"n","annotations":{"argocd.argoproj.io/tracking-id":"team-a_web:/Namespace:/n"},"labels":{"app.kubernetes.io/instance":"team-a_web"}}
      kind not served: error notFound: the cluster does not serve example.com/v1 Gadget (CRD not installed?)
    `);
  });

  it('prediction and comparison: server-side field ownership, Argo CD three-way merge, Flux and Argo CD normalisation, Secrets masked', () => {
    const owned = (live: Obj, manager: string, fields: Obj): Obj => ({ ...live, metadata: { ...(live.metadata as Obj), managedFields: [{ manager, operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: fields }] } });
    const cm = (data: Obj, md: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', ...md }, data });
    const fluxPlan = planDiff({ agent: flux, agentObject: { spec: {} }, canDryRun: false });
    const argoPlan = planDiff({ agent: argo, agentObject: { spec: { ignoreDifferences: [{ kind: 'ConfigMap', jsonPointers: ['/data/ignored'] }] } }, canDryRun: true });
    const rows: [string, Obj | undefined, Obj, DiffPlan][] = [
      ['new object', undefined, cm({ a: '1' }), fluxPlan],
      ['same', owned(cm({ a: '1' }), 'kustomize-controller', { 'f:data': { 'f:a': {} } }), cm({ a: '1' }), fluxPlan],
      ['value changed', owned(cm({ a: '1' }), 'kustomize-controller', { 'f:data': { 'f:a': {} } }), cm({ a: '2' }), fluxPlan],
      ['field the manager owned, dropped from the render', owned(cm({ a: '1', b: '2' }), 'kustomize-controller', { 'f:data': { 'f:a': {}, 'f:b': {} } }), cm({ a: '1' }), fluxPlan],
      ['field another manager owns, not in the render', owned(cm({ a: '1', b: '2' }), 'kubectl', { 'f:data': { 'f:b': {} } }), cm({ a: '1' }), fluxPlan],
      ['flux reconcile annotation left out', cm({ a: '1' }, { annotations: { 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' } }), cm({ a: '1' }), fluxPlan],
      ['argocd three-way: last-applied names b, the render drops it', cm({ a: '1', b: '2' }, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(cm({ a: '1', b: '2' })) } }), cm({ a: '1' }), argoPlan],
      ['argocd ignoreDifferences pointer', cm({ a: '1', ignored: 'live' }, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(cm({ a: '1', ignored: 'x' })) } }), cm({ a: '1', ignored: 'git' }), argoPlan],
      ['secret value changed, masked', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { p: 'b2xk' } }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { p: 'bmV3' } }, argoPlan],
    ];
    const out = rows.map(([name, live, config, plan]) => {
      const it: Placed = { r: { obj: config }, info: info(String(config.kind)), ns: 'n', name: String((config.metadata as Obj).name), group: '', kind: String(config.kind), apiVersion: 'v1' };
      const base: ObjectDiff = { id: { apiVersion: 'v1', kind: it.kind, namespace: 'n', name: it.name }, state: 'error', approximate: false, paths: [] };
      const notes: string[] = [];
      const d = compareObject(base, it, predictLocally(live, config, plan.mode, plan.fieldManager), live, plan, true, notes);
      const secret = it.kind === 'Secret' ? ` desired ${JSON.stringify(d.desired)}` : '';
      return `${name}: ${d.state} [${d.paths.join(', ')}]${secret}${notes.length ? ` notes: ${notes.join('; ')}` : ''}`;
    });
    check(out.join('\n'), expect`
      new object: new []
      same: unchanged []
      value changed: changed [data.a]
      field the manager owned, dropped from the render: changed [data.b]
      field another manager owns, not in the render: unchanged []
      flux reconcile annotation left out: unchanged []
      argocd three-way: last-applied names b, the render drops it: changed [data.b]
      argocd ignoreDifferences pointer: unchanged []
      secret value changed, masked: changed [data.p] desired "apiVersion: v1\\ndata:\\n  p: ++++++++\\nkind: Secret\\nmetadata:\\n  name: s\\n  namespace: n\\n"
    `);
  });

  it('prune: tracked by the agent, not rendered, not owned, pruning not disabled', () => {
    const cmInfo = info('ConfigMap');
    const fluxLabels = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };
    const item = (name: string, md: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'n', ...md }, data: { k: 'v' } });
    const items = [
      item('rendered', { labels: fluxLabels }),
      item('gone', { labels: fluxLabels }),
      item('other-agent', { labels: { ...fluxLabels, 'kustomize.toolkit.fluxcd.io/name': 'other' } }),
      item('owned', { labels: fluxLabels, ownerReferences: [{ kind: 'Deployment', name: 'x' }] }),
      item('keep', { labels: fluxLabels, annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } }),
      item('untracked'),
      item('argo-tracked', { annotations: { 'argocd.argoproj.io/tracking-id': 'web:/ConfigMap:n/argo-tracked' } }),
      item('argo-other-id', { annotations: { 'argocd.argoproj.io/tracking-id': 'other:/ConfigMap:n/argo-other-id' }, labels: { 'app.kubernetes.io/instance': 'web' } }),
      item('argo-label-only', { labels: { 'app.kubernetes.io/instance': 'web' } }),
      item('argo-sync-off', { labels: { 'app.kubernetes.io/instance': 'web' }, annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } }),
    ];
    const rendered = new Set(['/ConfigMap/n/rendered']);
    const rows: [string, DiffPlan][] = [
      ['no agent', planDiff({ canDryRun: true })],
      ['flux', planDiff({ agent: flux, agentObject: { spec: {} }, canDryRun: true })],
      ['flux, spec.prune false', planDiff({ agent: flux, agentObject: { spec: { prune: false } }, canDryRun: true })],
      ['argocd', planDiff({ agent: argo, agentObject: { spec: {} }, canDryRun: true })],
    ];
    const out = rows.map(([name, plan]) => {
      const notes: string[] = [];
      const pruned = pruneCandidates([{ info: cmInfo, ns: 'n', items }], rendered, plan, notes);
      return `${name}: [${pruned.map((p) => p.id.name).join(', ')}]${notes.length ? ` notes: ${notes.join('; ')}` : ''}`;
    });
    check(out.join('\n'), expect`
      no agent: []
      flux: [gone] notes: ConfigMap n/keep is no longer rendered but has pruning disabled
      flux, spec.prune false: [] notes: spec.prune is false: 2 object(s) no longer rendered stay in the cluster
      argocd: [argo-tracked, argo-label-only] notes: ConfigMap n/argo-sync-off is no longer rendered but has pruning disabled
    `);
  });

  it("the agent's inventory: Flux status.inventory ids, Argo CD status.resources", () => {
    const fluxObj: Obj = { status: { inventory: { entries: [{ id: 'n_web_apps_Deployment', v: 'v1' }, { id: '_ns-a__Namespace', v: 'v1' }, { id: 'n_name_with_underscores__ConfigMap' }, { id: 'broken' }] } } };
    const argoObj: Obj = { status: { resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'n', name: 'web' }, { kind: 'Namespace', name: 'n' }] } };
    const out = [
      ...trackedByAgent('flux', fluxObj).map((t) => `flux: ${JSON.stringify(t)}`),
      ...trackedByAgent('argocd', argoObj).map((t) => `argocd: ${JSON.stringify(t)}`),
      `no status: ${JSON.stringify(trackedByAgent('flux', {}))}`,
    ];
    check(out.join('\n'), expect`
      flux: {"group":"apps","version":"v1","kind":"Deployment","namespace":"n","name":"web"}
      flux: {"group":"","version":"v1","kind":"Namespace","namespace":"","name":"ns-a"}
      flux: {"group":"","kind":"ConfigMap","namespace":"n","name":"name_with_underscores"}
      argocd: {"group":"apps","version":"v1","kind":"Deployment","namespace":"n","name":"web"}
      argocd: {"group":"","kind":"Namespace","namespace":"","name":"n"}
      no status: []
    `);
  });
});
