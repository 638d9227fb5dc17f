// Test helpers for the live-diff suite: the shared test cluster, namespaces per test, live state
// set up the way the agents would (their field manager, labels, status through /status), and
// folders on disk. Only this test code writes to the cluster; the product code only reads.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error -- plain JS harness without declarations
import { auditEventsSince, ensureCluster as ensure } from '../cluster/harness.mjs';
// @ts-expect-error -- plain JS helpers without declarations
import { serverSideApply, waitFor as wait } from '../cluster/kube.mjs';

export interface KubeResponse { status: number; body: any; text: string }
export interface TestCluster {
  name: string;
  kubeconfig: string;
  auditLog: string;
  server: string;
  admin: unknown;
  viewer: unknown;
  request(method: string, p: string, opts?: { body?: unknown; contentType?: string; timeoutMs?: number }): Promise<KubeResponse>;
  kubectl(args: string[], opts?: { context?: string; input?: string }): string;
  stop(): Promise<unknown>;
  start(): Promise<unknown>;
  syncViewerRole(): Promise<unknown>;
  release(): void;
}

export const ensureCluster = ensure as (opts?: { name?: string }) => Promise<TestCluster>;
export const waitFor = wait as <T>(what: string, fn: () => Promise<T> | T, opts?: { timeoutMs?: number; intervalMs?: number }) => Promise<NonNullable<T>>;

const PLURALS: Record<string, string> = {
  Deployment: 'deployments', ConfigMap: 'configmaps', Secret: 'secrets', Service: 'services', ServiceAccount: 'serviceaccounts',
  Kustomization: 'kustomizations', GitRepository: 'gitrepositories', Application: 'applications', AppProject: 'appprojects', Namespace: 'namespaces',
};

export function objectPath(obj: any): string {
  const api: string = obj.apiVersion;
  const base = api.includes('/') ? `/apis/${api}` : `/api/${api}`;
  const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : '';
  return `${base}${ns}/${PLURALS[obj.kind]}/${obj.metadata.name}`;
}

/** A fresh namespace (deleted first if a previous run left it). */
export async function freshNamespace(c: TestCluster, name: string): Promise<string> {
  const res = await c.request('DELETE', `/api/v1/namespaces/${name}`);
  if (res.status === 200 || res.status === 202) {
    await waitFor(`namespace ${name} gone`, async () => (await c.request('GET', `/api/v1/namespaces/${name}`)).status === 404, { timeoutMs: 60_000 });
  }
  const made = await c.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  if (made.status !== 201) throw new Error(`create namespace ${name}: ${made.status} ${made.text}`);
  return name;
}

/** Server-side apply as a field manager (what kustomize-controller, or Argo CD with ServerSideApply, does). */
export async function applyAs(c: TestCluster, obj: any, fieldManager: string): Promise<any> {
  const p = objectPath(obj);
  const res = await serverSideApply(c.admin, p, obj, { fieldManager, force: true });
  if (res.status !== 200 && res.status !== 201) throw new Error(`apply ${p}: ${res.status} ${res.text}`);
  return res.body;
}

/** Client-side `kubectl apply` (last-applied annotation), what Argo CD does without ServerSideApply. */
export function kubectlApply(c: TestCluster, obj: any, fieldManager = 'argocd-controller'): void {
  c.kubectl(['apply', `--field-manager=${fieldManager}`, '-f', '-'], { input: JSON.stringify(obj) });
}

/** Sets status through the status subresource, as the agents' controllers do. */
export async function setStatus(c: TestCluster, obj: any, status: unknown): Promise<any> {
  const res = await c.request('PATCH', `${objectPath(obj)}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
  if (res.status !== 200) throw new Error(`status ${objectPath(obj)}: ${res.status} ${res.text}`);
  return res.body;
}

/** Writes files under a new temporary folder; returns its path. */
export function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-cdiff-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

export function deployment(ns: string | undefined, name: string, replicas: number, image = 'nginx:1.25', extra: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...(ns ? { namespace: ns } : {}), ...extra },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } } },
  };
}

export const fluxLabels = (ks: string, ns: string): Record<string, string> => ({ 'kustomize.toolkit.fluxcd.io/name': ks, 'kustomize.toolkit.fluxcd.io/namespace': ns });

/** A Flux Kustomization (+ its GitRepository) in `ns`. */
export async function fluxKustomization(c: TestCluster, ns: string, name: string, spec: Record<string, unknown>, repoUrl = 'https://example.com/org/repo.git'): Promise<any> {
  await applyAs(c, { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'repo', namespace: ns }, spec: { url: repoUrl, interval: '1m', ref: { branch: 'main' } } }, 'test-setup');
  const ks = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: ns }, spec: { interval: '5m', prune: true, sourceRef: { kind: 'GitRepository', name: 'repo' }, ...spec } };
  return applyAs(c, ks, 'test-setup');
}

export async function argoApplication(c: TestCluster, ns: string, name: string, spec: Record<string, unknown>): Promise<any> {
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: ns }, spec: { project: 'default', ...spec } };
  return applyAs(c, app, 'test-setup');
}

/** Audit events (JSON lines) since a byte offset. */
export function auditSince(file: string, offset: number): any[] {
  return auditEventsSince(file, offset);
}
