// The schema checks of rendered objects (server/src/schema) against the judge they imitate: the
// test cluster's kube-apiserver, by server-side dry-run with strict field validation. For each
// object: the unknown fields we report are exactly those the API server's strict decoding names, and
// we report a type, required or enum problem exactly when the API server rejects the object.
// Built-in kinds use the bundled tables (generated from this API server's OpenAPI); custom resources
// use a CRD created here, through the same path as a workspace CRD (crdsOf → SchemaRegistry), which
// is also how the bundled Flux and Argo CD CRDs are converted.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
// @ts-expect-error -- plain JS harness without declarations
import { ensureCluster } from './harness.mjs';
// @ts-expect-error -- plain JS helpers without declarations
import { objectPath, waitFor } from './kube.mjs';
import { crdsOf, SchemaRegistry } from '../../server/src/schema/index';
import type { JsonObject } from '../../server/src/engine/resource';

interface Res { status: number; body: any; text: string }
interface Cluster { request(method: string, p: string, opts?: { body?: unknown }): Promise<Res>; release(): void }

let c: Cluster;
const reg = new SchemaRegistry();
const GROUP = 'gitops-lens.example.com';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `schemachecks.${GROUP}` },
  spec: {
    group: GROUP,
    names: { kind: 'SchemaCheck', plural: 'schemachecks' },
    scope: 'Namespaced',
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              required: ['req', 'withDefault'],
              properties: {
                req: { type: 'string' },
                withDefault: { type: 'string', default: 'x' },
                s: { type: 'string' },
                i: { type: 'integer' },
                ios: { 'x-kubernetes-int-or-string': true },
                bytes: { type: 'string', format: 'byte' },
                e: { type: 'string', enum: ['a', 'b'] },
                obj: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
                m: { type: 'object', additionalProperties: { type: 'string' } },
                free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                emb: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
                emb2: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } },
                list: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
              },
            },
          },
        },
      },
    }],
  },
};

before(async () => {
  c = await ensureCluster();
  reg.setCrds('/ws/crd.yaml', crdsOf(CRD as unknown as JsonObject, '/ws/crd.yaml'));
  await c.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD.metadata.name}`);
  await waitFor('old CRD gone', async () => (await c.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD.metadata.name}`)).status === 404);
  const made = await c.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: CRD });
  assert.equal(made.status, 201, made.text);
  await waitFor('custom resources served', async () => (await c.request('GET', `/apis/${GROUP}/v1/namespaces/default/schemachecks`)).status === 200);
});
after(async () => {
  await c?.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD.metadata.name}`);
  c?.release();
});

const PLURAL: Record<string, string> = { Deployment: 'deployments', Secret: 'secrets', Service: 'services', CronJob: 'cronjobs', ConfigMap: 'configmaps', Pod: 'pods', SchemaCheck: 'schemachecks' };

/** The API server's verdict: accepted, or the unknown fields strict decoding names, or rejected. */
async function server(obj: any): Promise<{ accepted: boolean; unknown: string[]; said: string }> {
  const res = await c.request('POST', `${objectPath(obj.apiVersion, PLURAL[obj.kind], { namespace: 'default' })}?dryRun=All&fieldValidation=Strict`, { body: obj });
  const said = typeof res.body === 'object' ? String(res.body.message ?? res.text) : res.text;
  const unknown = res.status === 400 && said.includes('strict decoding error') ? [...said.matchAll(/unknown field "([^"]+)"/g)].map((m) => m[1]!).sort() : [];
  return { accepted: res.status === 201, unknown, said };
}

function ours(obj: any): { unknown: string[]; other: string[] } {
  const info = reg.lookup(obj.apiVersion, obj.kind);
  assert.ok(info, `${obj.apiVersion} ${obj.kind} is checked`);
  const probs = info.check(obj);
  const dotted = (p: (string | number)[]) => p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x)).join('');
  return {
    unknown: probs.filter((p) => p.kind === 'unknown').map((p) => dotted(p.path)).sort(),
    other: probs.filter((p) => p.kind !== 'unknown').map((p) => `${dotted(p.path)}: ${p.message}`),
  };
}

const meta = (name: string, extra: object = {}) => ({ name, namespace: 'default', ...extra });
const deployment = (spec: object = {}, container: object = {}, extra: object = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('schema-check'),
  spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'app', image: 'nginx', ...container }] } }, ...spec },
  ...extra,
});
const cr = (spec: object, extra: object = {}) => ({ apiVersion: `${GROUP}/v1`, kind: 'SchemaCheck', metadata: meta('schema-check'), spec: { req: 'r', ...spec }, ...extra });
const wrapped = Buffer.from('x'.repeat(300)).toString('base64').replace(/(.{70})/g, '$1\n');

test('unknown fields: the same as strict field validation (metadata, int-or-string, quantities, status, nested ObjectMeta)', async () => {
  const cases = [
    deployment(
      { bogus: 1, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%', other: 1 } }, template: { metadata: { labels: { app: 'a' }, bar: 2 }, spec: { containers: [{ name: 'app', image: 'nginx', port: 80, resources: { limits: { cpu: 0.5, memory: '1Gi' } }, ports: [{ containerPort: 80, targetPort: 80 }] }] } } },
      {},
      { metadata: meta('schema-check', { foo: 1, labels: { a: 'b' } }), status: { replicas: 1, foo: 2 }, extra: 1 },
    ),
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('schema-check'), spec: { schedule: '* * * * *', jobTemplate: { metadata: { x: 1 }, spec: { template: { metadata: { y: 1 }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', commnd: ['true'] }] } } } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('schema-check'), spec: { ports: [{ port: 80, targetPort: 'http', nodeport: 1 }, { port: 81, targetPort: 8081 }] } },
    cr(
      { bogus: 1, ios: 5, obj: { a: 'x', extra: 2 }, free: { anything: { deep: 1 } }, m: { k: 'v' }, list: [{ name: 'n', nmae: 'typo' }],
        emb: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', bar: 1 }, data: { a: 'b' } },
        emb2: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: { x: 'a', z: 'b' }, other: 1 } },
      { metadata: meta('schema-check', { foo: 1 }), status: { x: 1 }, top: 1 },
    ),
  ];
  for (const obj of cases) {
    const s = await server(obj);
    const o = ours(obj);
    assert.ok(s.unknown.length, `the API server names unknown fields of ${obj.kind}: ${s.said}`);
    assert.deepEqual(o.unknown, s.unknown, `${obj.kind}: unknown fields`);
    assert.deepEqual(o.other, [], `${obj.kind}: nothing else`);
  }
});

test('types, required fields, enums, base64 and null: reported exactly when the API server rejects', async () => {
  const cases: [string, any][] = [
    ['Secret: base64 wrapped at 70 columns, null data value and labels', { apiVersion: 'v1', kind: 'Secret', metadata: meta('schema-check', { labels: null }), data: { wrapped, empty: '', n: null }, type: null }],
    ['Secret: not base64', { apiVersion: 'v1', kind: 'Secret', metadata: meta('schema-check'), data: { k: 'not base64!' } }],
    ['Secret: base64 without padding', { apiVersion: 'v1', kind: 'Secret', metadata: meta('schema-check'), data: { k: 'aGVsbG8' } }],
    ['Deployment: null replicas, strategy, env value and ports', deployment({ replicas: null, strategy: null }, { env: [{ name: 'A', value: null }], ports: null })],
    ['Deployment: no selector', { ...deployment(), spec: { template: deployment().spec.template } }],
    ['Deployment: null selector', deployment({ selector: null })],
    ['Deployment: a container without a name', deployment({}, { name: undefined })],
    ['Deployment: imagePullPolicy Sometimes', deployment({}, { imagePullPolicy: 'Sometimes' })],
    ['Deployment: replicas "3"', deployment({ replicas: '3' })],
    ['Deployment: maxSurge 1.5 (int-or-string)', deployment({ strategy: { rollingUpdate: { maxSurge: 1.5 } } })],
    ['Deployment: maxSurge "25%" and cpu 0.5', deployment({ strategy: { rollingUpdate: { maxSurge: '25%' } } }, { resources: { requests: { cpu: 0.5 } } })],
    ['Deployment: a sysctl without a value (OpenAPI says required)', deployment({ template: { metadata: { labels: { app: 'a' } }, spec: { securityContext: { sysctls: [{ name: 'net.core.somaxconn' }] }, containers: [{ name: 'app', image: 'nginx' }] } } })],
    ['ConfigMap: a number as a value', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('schema-check'), data: { a: 1 } }],
    ['Service: type Foo', { apiVersion: 'v1', kind: 'Service', metadata: meta('schema-check'), spec: { type: 'Foo', ports: [{ port: 80 }] } }],
    ['custom resource: nulls', cr({ s: null, i: null, ios: null, obj: null, m: null, free: null, e: null, bytes: null, withDefault: null })],
    ['custom resource: required field missing', { ...cr({}), spec: { s: 'x' } }],
    ['custom resource: required field null', cr({ req: null })],
    ['custom resource: nested required field null', cr({ obj: { a: null } })],
    ['custom resource: int-or-string 1.5', cr({ ios: 1.5 })],
    ['custom resource: int-or-string "50%" and 7', cr({ ios: '50%', list: [{ name: 'n' }] })],
    ['custom resource: base64', cr({ bytes: 'aGVsbG8=' })],
    ['custom resource: base64 wrapped (the OpenAPI validator takes no line breaks)', cr({ bytes: 'aGVsbG8g\nd29ybGQ=' })],
    ['custom resource: empty base64', cr({ bytes: '' })],
    ['custom resource: enum', cr({ e: 'c' })],
    ['custom resource: a string as an integer', cr({ i: '1' })],
  ];
  const wrong: string[] = [];
  for (const [what, obj] of cases) {
    const s = await server(JSON.parse(JSON.stringify(obj)));
    const o = ours(JSON.parse(JSON.stringify(obj)));
    assert.deepEqual(o.unknown, [], what);
    if (s.accepted !== (o.other.length === 0)) wrong.push(`${what}: the API server ${s.accepted ? 'accepts it' : `rejects it (${s.said})`}; we report ${o.other.join('; ') || 'nothing'}`);
  }
  assert.deepEqual(wrong, []);
});
