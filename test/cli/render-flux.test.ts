// `gitops-lens render DIR` of a folder a Flux Kustomization in the repository points at: what
// kustomize-controller would apply (targetNamespace, postBuild substitute and substituteFrom, the
// Flux labels), the objects written here by hand; several Kustomizations at one folder are listed
// and one is chosen with --flux-kustomization; a folder nothing points at renders as `build`.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI, ensureCli } from '../support/dist';
import { check, expect } from '../server/check';

let repo = '';
const write = (rel: string, text: string) => { const p = path.join(repo, rel); fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, text); };
const render = (...args: string[]) => spawnSync(process.execPath, [CLI, 'render', ...args], { encoding: 'utf8' });

before(() => {
  ensureCli();
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-render-flux-'));
  execFileSync('git', ['init', '-q', repo]);
  write('apps/web/kustomization.yaml', 'resources:\n- cm.yaml\n');
  write('apps/web/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  cluster: ${CLUSTER}\n  region: ${REGION:=eu-west-1}\n  tag: ${IMAGE_TAG}\n');
  write('apps/plain/kustomization.yaml', 'resources:\n- cm.yaml\n');
  write('apps/plain/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: ${NOT_SUBSTITUTED}\n');
  write('clusters/prod/vars.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  IMAGE_TAG: "1.2.3"\n  CLUSTER: from-configmap\n');
  write('clusters/prod/apps.yaml', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  path: ./apps/web\n  targetNamespace: web-prod\n  postBuild:\n    substitute:\n      CLUSTER: prod\n    substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n');
});
after(() => { if (repo) fs.rmSync(repo, { recursive: true, force: true }); });

describe('render DIR with the Flux Kustomization that points at it', () => {
  it('renders as kustomize-controller applies it: target namespace, substitution (substitute over substituteFrom, defaults), Flux labels', () => {
    const r = render(path.join(repo, 'apps/web'));
    assert.equal(r.stderr, '');
    check(r.stdout, expect`
      apiVersion: v1
      data:
        cluster: prod
        region: eu-west-1
        tag: 1.2.3
      kind: ConfigMap
      metadata:
        labels:
          kustomize.toolkit.fluxcd.io/name: web
          kustomize.toolkit.fluxcd.io/namespace: flux-system
        name: web
        namespace: web-prod

    `);
  });

  it('two Kustomizations at one folder: listed, and one chosen with --flux-kustomization; a folder nothing points at renders as build', () => {
    write('clusters/staging/apps.yaml', 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web-staging\n  namespace: flux-system\nspec:\n  path: ./apps/web\n  postBuild:\n    substitute:\n      CLUSTER: staging\n      IMAGE_TAG: latest\n');
    const both = render(path.join(repo, 'apps/web'));
    const chosen = render(path.join(repo, 'apps/web'), '--flux-kustomization', 'flux-system/web-staging');
    const plain = render(path.join(repo, 'apps/plain'));
    const build = spawnSync(process.execPath, [CLI, 'build', path.join(repo, 'apps/plain')], { encoding: 'utf8' });
    check([`exit ${both.status}: ${both.stderr.trim().split(repo).join('<repo>')}`, '-- chosen', chosen.stdout.trimEnd(), `-- plain is build: ${plain.stdout === build.stdout && plain.status === 0}`].join('\n'), expect`
      exit 1: gitops-lens: 2 Flux Kustomizations point at <repo>/apps/web (flux-system/web, flux-system/web-staging): choose one with --flux-kustomization NAMESPACE/NAME
      -- chosen
      apiVersion: v1
      data:
        cluster: staging
        region: eu-west-1
        tag: latest
      kind: ConfigMap
      metadata:
        labels:
          kustomize.toolkit.fluxcd.io/name: web-staging
          kustomize.toolkit.fluxcd.io/namespace: flux-system
        name: web
      -- plain is build: true
    `);
  });
});
