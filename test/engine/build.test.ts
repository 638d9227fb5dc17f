// `kustomize build` end to end through the engine: one small tree per kustomization field that
// kustomize v5.5 supports for a build without plugins, plus the errors a user meets. Every expected
// output and error was produced by `kubectl kustomize` (kustomize v5.5.0) on the same tree written
// to disk (for the load restriction also with `--load-restrictor LoadRestrictionsNone`); the
// comment above each error expectation is kustomize's message (temporary paths removed).
// Where the engine differs from kustomize the case is marked `todo` with the difference.
//
// Run: node --import tsx --test test/engine/build.test.ts

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { dedent, harness } from './harness';
import type { HelmRequest } from '../../server/src/engine/index';

const DEPLOY = dedent(`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    labels:
      app: web
  spec:
    replicas: 1
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
        - name: web
          image: nginx:1.25
          ports:
          - containerPort: 80
`);

const SERVICE = dedent(`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: web
    ports:
    - port: 80
      targetPort: 80
`);

const CM = dedent(`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    mode: base
`);

const MIXED = dedent(`
  apiVersion: admissionregistration.k8s.io/v1
  kind: ValidatingWebhookConfiguration
  metadata:
    name: hook
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  ---
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  ---
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: cfg
  ---
  apiVersion: rbac.authorization.k8s.io/v1
  kind: Role
  metadata:
    name: role
  ---
  apiVersion: v1
  kind: Namespace
  metadata:
    name: ns
`);

describe('resources', () => {
  test('files are loaded in order', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - service.yaml
      - deploy.yaml
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/service.yaml', SERVICE);
    t.expectBuild('app', `
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        ports:
        - port: 80
          targetPort: 80
        selector:
          app: web
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
  test('a directory is built as a kustomization and its resources come first', () => {
    const t = harness();
    t.writeK('base', dedent(`
      resources:
      - deploy.yaml
    `));
    t.writeF('base/deploy.yaml', DEPLOY);
    t.writeK('overlay', dedent(`
      resources:
      - ../base
      - cm.yaml
    `));
    t.writeF('overlay/cm.yaml', CM);
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        name: settings
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
  test('a multi-document file, with empty documents skipped', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - all.yaml
    `));
    t.writeF('app/all.yaml', dedent(`
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: one
      data:
        a: "1"
      ---
      ---
      # only a comment
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: two
      data:
        b: "2"
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        a: "1"
      kind: ConfigMap
      metadata:
        name: one
      ---
      apiVersion: v1
      data:
        b: "2"
      kind: ConfigMap
      metadata:
        name: two
    `);
  });
  test('List kinds are expanded into their items', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - list.yaml
    `));
    t.writeF('app/list.yaml', dedent(`
      apiVersion: v1
      kind: List
      items:
      - apiVersion: v1
        kind: ConfigMap
        metadata:
          name: a
      - apiVersion: v1
        kind: Secret
        metadata:
          name: b
      ---
      apiVersion: v1
      kind: ConfigMapList
      items:
      - apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
    `));
    t.expectBuild('app', `
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: c
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: b
    `);
  });
  test('the same resource twice is an error', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      - again.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    t.writeF('app/again.yaml', CM);
    // kustomize: "accumulating resources: accumulation err='merging resources from 'again.yaml': may not add resource with an already registered id: ConfigMap.v1.[noGrp]/settings.[noNs]': must build at directory: '/app/again.yaml': file is not directory"
    t.expectError('app', /may not add resource with an already registered id: ConfigMap\.v1\.\[noGrp\]\/settings\.\[noNs\]/, { file: 'app/kustomization.yaml', line: 3 });
  });
});

describe('bases', () => {
  test('bases (deprecated) accumulate like resources', () => {
    const t = harness();
    t.writeK('base', dedent(`
      resources:
      - cm.yaml
    `));
    t.writeF('base/cm.yaml', CM);
    t.writeK('overlay', dedent(`
      bases:
      - ../base
      nameSuffix: -v2
    `));
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        name: settings-v2
    `);
  });
});

describe('components', () => {
  test('a component adds resources, labels and patches to what the overlay accumulated', () => {
    const t = harness();
    t.writeK('base', dedent(`
      resources:
      - deploy.yaml
    `));
    t.writeF('base/deploy.yaml', DEPLOY);
    t.writeK('comp', dedent(`
      apiVersion: kustomize.config.k8s.io/v1alpha1
      kind: Component
      resources:
      - cm.yaml
      commonAnnotations:
        feature: "on"
      patches:
      - patch: |-
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            replicas: 5
    `));
    t.writeF('comp/cm.yaml', CM);
    t.writeK('overlay', dedent(`
      resources:
      - ../base
      components:
      - ../comp
      namePrefix: prod-
    `));
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        annotations:
          feature: "on"
        name: prod-settings
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          feature: "on"
        labels:
          app: web
        name: prod-web
      spec:
        replicas: 5
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            annotations:
              feature: "on"
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
  test('a Component listed under resources is an error', () => {
    const t = harness();
    t.writeK('comp', dedent(`
      apiVersion: kustomize.config.k8s.io/v1alpha1
      kind: Component
      resources:
      - cm.yaml
    `));
    t.writeF('comp/cm.yaml', CM);
    t.writeK('overlay', dedent(`
      resources:
      - ../comp
    `));
    // kustomize: "accumulating resources: accumulation err='accumulating resources from '../comp': '/comp' must resolve to a file': expected kind != 'Component' for path '/comp'"
    t.expectError('overlay', /expected kind != 'Component' for path '\/ws\/comp'/, { file: 'overlay/kustomization.yaml', line: 2 });
  });
});

describe('namespace', () => {
  test('namespace sets namespaced kinds, leaves cluster-scoped kinds, and follows ServiceAccount subjects', () => {
    const t = harness();
    t.writeK('app', dedent(`
      namespace: team-a
      resources:
      - rbac.yaml
      - cm.yaml
    `));
    t.writeF('app/cm.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: old
    `));
    t.writeF('app/rbac.yaml', dedent(`
      apiVersion: v1
      kind: Namespace
      metadata:
        name: team-a
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: runner
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: reader
      rules: []
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata:
        name: reader-binding
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: reader
      subjects:
      - kind: ServiceAccount
        name: runner
        namespace: default
      - kind: ServiceAccount
        name: other
        namespace: elsewhere
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        names:
          kind: Widget
          plural: widgets
        scope: Namespaced
        versions: []
    `));
    t.expectBuild('app', `
      apiVersion: v1
      kind: Namespace
      metadata:
        name: team-a
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      spec:
        group: example.com
        names:
          kind: Widget
          plural: widgets
        scope: Namespaced
        versions: []
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: runner
        namespace: team-a
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata:
        name: reader
      rules: []
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata:
        name: reader-binding
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: ClusterRole
        name: reader
      subjects:
      - kind: ServiceAccount
        name: runner
        namespace: team-a
      - kind: ServiceAccount
        name: other
        namespace: elsewhere
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: team-a
    `);
  });
});

describe('namePrefix/nameSuffix', () => {
  test('prefix and suffix rename every object and the references to them', () => {
    const t = harness();
    t.writeK('base', dedent(`
      namePrefix: base-
      resources:
      - deploy.yaml
      - cm.yaml
    `));
    t.writeF('base/deploy.yaml', dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - name: web
              image: nginx
              envFrom:
              - configMapRef:
                  name: settings
    `));
    t.writeF('base/cm.yaml', CM);
    t.writeK('overlay', dedent(`
      namePrefix: p-
      nameSuffix: -s
      resources:
      - ../base
    `));
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        name: p-base-settings-s
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: p-base-web-s
      spec:
        template:
          spec:
            containers:
            - envFrom:
              - configMapRef:
                  name: p-base-settings-s
              image: nginx
              name: web
    `);
  });
});

describe('commonLabels', () => {
  test('commonLabels go to metadata, selectors and templates', () => {
    const t = harness();
    t.writeK('app', dedent(`
      commonLabels:
        team: blue
      resources:
      - deploy.yaml
      - service.yaml
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/service.yaml', SERVICE);
    t.expectBuild('app', `
      apiVersion: v1
      kind: Service
      metadata:
        labels:
          team: blue
        name: web
      spec:
        ports:
        - port: 80
          targetPort: 80
        selector:
          app: web
          team: blue
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
          team: blue
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
            team: blue
        template:
          metadata:
            labels:
              app: web
              team: blue
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
});

describe('labels', () => {
  test('labels: plain pairs, includeSelectors, includeTemplates and fields', () => {
    const t = harness();
    t.writeK('app', dedent(`
      labels:
      - pairs:
          owner: ops
      - pairs:
          tier: front
        includeSelectors: true
      - pairs:
          version: v1
        includeTemplates: true
      - pairs:
          extra: x
        fields:
        - kind: Deployment
          path: spec/template/spec/nodeSelector
          create: true
      resources:
      - deploy.yaml
      - service.yaml
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/service.yaml', SERVICE);
    t.expectBuild('app', `
      apiVersion: v1
      kind: Service
      metadata:
        labels:
          extra: x
          owner: ops
          tier: front
          version: v1
        name: web
      spec:
        ports:
        - port: 80
          targetPort: 80
        selector:
          app: web
          tier: front
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
          extra: x
          owner: ops
          tier: front
          version: v1
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
            tier: front
        template:
          metadata:
            labels:
              app: web
              tier: front
              version: v1
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
            nodeSelector:
              extra: x
    `);
  });
});

describe('commonAnnotations', () => {
  test('commonAnnotations go to metadata and pod templates', () => {
    const t = harness();
    t.writeK('app', dedent(`
      commonAnnotations:
        note: hello
        count: "3"
      resources:
      - deploy.yaml
      - cm.yaml
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/cm.yaml', CM);
    t.expectBuild('app', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        annotations:
          count: "3"
          note: hello
        name: settings
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          count: "3"
          note: hello
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            annotations:
              count: "3"
              note: hello
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
});

describe('images', () => {
  test('images: newName, newTag and digest', () => {
    const t = harness();
    t.writeK('app', dedent(`
      images:
      - name: nginx
        newName: registry.example.com/nginx
        newTag: "1.27"
      - name: busybox
        digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      - name: redis
        newTag: "7"
      resources:
      - pod.yaml
    `));
    t.writeF('app/pod.yaml', dedent(`
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
      spec:
        initContainers:
        - name: init
          image: busybox:1.36
        containers:
        - name: web
          image: nginx:1.25
        - name: cache
          image: redis
        - name: other
          image: nginx-unrelated:1
    `));
    t.expectBuild('app', `
      apiVersion: v1
      kind: Pod
      metadata:
        name: p
      spec:
        containers:
        - image: registry.example.com/nginx:1.27
          name: web
        - image: redis:7
          name: cache
        - image: nginx-unrelated:1
          name: other
        initContainers:
        - image: busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          name: init
    `);
  });
});

describe('replicas', () => {
  test('replicas set the count of the named workload', () => {
    const t = harness();
    t.writeK('app', dedent(`
      replicas:
      - name: web
        count: 4
      resources:
      - deploy.yaml
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.expectBuild('app', `
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 4
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
});

describe('configMapGenerator', () => {
  test('files, literals and envs, with a hash suffix the Deployment follows', () => {
    const t = harness();
    t.writeK('app', dedent(`
      configMapGenerator:
      - name: app-config
        files:
        - config.properties
        - renamed.txt=raw.txt
        literals:
        - LEVEL=debug
        envs:
        - app.env
      resources:
      - deploy.yaml
    `));
    t.writeF('app/config.properties', dedent(`
      a=1
      b=2
    `));
    t.writeF('app/raw.txt', dedent(`
      raw text
    `));
    t.writeF('app/app.env', dedent(`
      # comment
      FOO=bar
      EMPTY=
    `));
    t.writeF('app/deploy.yaml', dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - name: web
              image: nginx
              envFrom:
              - configMapRef:
                  name: app-config
            volumes:
            - name: cfg
              configMap:
                name: app-config
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        EMPTY: ""
        FOO: bar
        LEVEL: debug
        config.properties: |
          a=1
          b=2
        renamed.txt: |
          raw text
      kind: ConfigMap
      metadata:
        name: app-config-m9m4bbd7d7
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - envFrom:
              - configMapRef:
                  name: app-config-m9m4bbd7d7
              image: nginx
              name: web
            volumes:
            - configMap:
                name: app-config-m9m4bbd7d7
              name: cfg
    `);
  });
});

describe('secretGenerator', () => {
  test('literals and files, type and per-generator options', () => {
    const t = harness();
    t.writeK('app', dedent(`
      secretGenerator:
      - name: creds
        literals:
        - user=admin
        files:
        - password.txt
      - name: tls
        type: kubernetes.io/tls
        files:
        - tls.crt
        - tls.key
        options:
          disableNameSuffixHash: true
          labels:
            kind: cert
    `));
    t.writeF('app/password.txt', 's3cret');
    t.writeF('app/tls.crt', dedent(`
      CERT
    `));
    t.writeF('app/tls.key', dedent(`
      KEY
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        password.txt: czNjcmV0
        user: YWRtaW4=
      kind: Secret
      metadata:
        name: creds-7gfgf5bcd8
      type: Opaque
      ---
      apiVersion: v1
      data:
        tls.crt: Q0VSVAo=
        tls.key: S0VZCg==
      kind: Secret
      metadata:
        labels:
          kind: cert
        name: tls
      type: kubernetes.io/tls
    `);
  });
});

describe('generatorOptions', () => {
  test('generatorOptions: labels, annotations, immutable, disableNameSuffixHash', () => {
    const t = harness();
    t.writeK('app', dedent(`
      generatorOptions:
        disableNameSuffixHash: true
        immutable: true
        labels:
          gen: "yes"
        annotations:
          note: generated
      configMapGenerator:
      - name: plain
        literals:
        - k=v
      - name: hashed
        literals:
        - k=v
        options:
          disableNameSuffixHash: false
          labels:
            own: label
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        k: v
      immutable: true
      kind: ConfigMap
      metadata:
        annotations:
          note: generated
        labels:
          gen: "yes"
          own: label
        name: hashed
      ---
      apiVersion: v1
      data:
        k: v
      immutable: true
      kind: ConfigMap
      metadata:
        annotations:
          note: generated
        labels:
          gen: "yes"
        name: plain
    `);
  });
});

describe('generator behavior', () => {
  test('merge and replace a base generator from an overlay', () => {
    const t = harness();
    t.writeK('base', dedent(`
      configMapGenerator:
      - name: cfg
        literals:
        - a=1
        - b=2
      secretGenerator:
      - name: sec
        literals:
        - x=1
    `));
    t.writeK('overlay', dedent(`
      resources:
      - ../base
      configMapGenerator:
      - name: cfg
        behavior: merge
        literals:
        - b=3
        - c=4
      secretGenerator:
      - name: sec
        behavior: replace
        literals:
        - y=2
    `));
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        a: "1"
        b: "3"
        c: "4"
      kind: ConfigMap
      metadata:
        name: cfg-fbcmkbc66h
      ---
      apiVersion: v1
      data:
        "y": Mg==
      kind: Secret
      metadata:
        name: sec-thbb5hb82m
      type: Opaque
    `);
  });
  test('create over an existing name is an error', () => {
    const t = harness();
    t.writeK('base', dedent(`
      configMapGenerator:
      - name: cfg
        literals:
        - a=1
    `));
    t.writeK('overlay', dedent(`
      resources:
      - ../base
      configMapGenerator:
      - name: cfg
        literals:
        - b=3
    `));
    // kustomize: "merging from generator &{0xc00084de10 <nil>}: id resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:\"ConfigMap\", isClusterScoped:false}, Name:\"cfg\", Namespace:\"\"} exists; behavior must be merge or replace"
    t.expectError('overlay', /id ConfigMap\.v1\.\[noGrp\]\/cfg\.\[noNs\] exists; behavior must be merge or replace/, { file: 'overlay/kustomization.yaml', line: 4 });
  });
  test('merge with nothing to merge into is an error', () => {
    const t = harness();
    t.writeK('app', dedent(`
      configMapGenerator:
      - name: cfg
        behavior: merge
        literals:
        - b=3
    `));
    // kustomize: "merging from generator &{0xc0007a35f0 <nil>}: id resid.ResId{Gvk:resid.Gvk{Group:\"\", Version:\"v1\", Kind:\"ConfigMap\", isClusterScoped:false}, Name:\"cfg\", Namespace:\"\"} does not exist; cannot merge or replace"
    t.expectError('app', /id ConfigMap\.v1\.\[noGrp\]\/cfg\.\[noNs\] does not exist; cannot merge or replace/, { file: 'app/kustomization.yaml', line: 2 });
  });
});

describe('patches', () => {
  test('strategic merge patch from a file, aimed by its own id', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - deploy.yaml
      patches:
      - path: patch.yaml
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/patch.yaml', dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
            - name: web
              image: nginx:1.26
              env:
              - name: MODE
                value: patched
            - name: sidecar
              image: envoy
    `));
    t.expectBuild('app', `
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - env:
              - name: MODE
                value: patched
              image: nginx:1.26
              name: web
              ports:
              - containerPort: 80
            - image: envoy
              name: sidecar
    `);
  });
  test('inline strategic merge patch with a target selects by kind and name regex', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cms.yaml
      patches:
      - target:
          kind: ConfigMap
          name: "app-.*"
        patch: |-
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: ignored
            annotations:
              patched: "true"
    `));
    t.writeF('app/cms.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app-one
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: app-two
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: other
    `));
    t.expectBuild('app', `
      apiVersion: v1
      kind: ConfigMap
      metadata:
        annotations:
          patched: "true"
        name: app-one
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        annotations:
          patched: "true"
        name: app-two
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: other
    `);
  });
  test('JSON 6902 patches inline and from a file, by labelSelector and annotationSelector', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cms.yaml
      patches:
      - target:
          labelSelector: tier=front
        patch: |-
          - op: add
            path: /data/added
            value: by-label
      - target:
          kind: ConfigMap
          annotationSelector: owner in (ops)
        path: ops.yaml
    `));
    t.writeF('app/ops.yaml', dedent(`
      - op: replace
        path: /data/v
        value: by-annotation
      - op: remove
        path: /data/drop
    `));
    t.writeF('app/cms.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a
        labels:
          tier: front
      data:
        v: "1"
        drop: x
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: b
        annotations:
          owner: ops
      data:
        v: "2"
        drop: x
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        added: by-label
        drop: x
        v: "1"
      kind: ConfigMap
      metadata:
        labels:
          tier: front
        name: a
      ---
      apiVersion: v1
      data:
        v: by-annotation
      kind: ConfigMap
      metadata:
        annotations:
          owner: ops
        name: b
    `);
  });
  test('options allowNameChange and allowKindChange', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cms.yaml
      patches:
      - target:
          name: one
        options:
          allowNameChange: true
        patch: |-
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: renamed
      - target:
          name: two
        options:
          allowKindChange: true
        patch: |-
          apiVersion: v1
          kind: Secret
          metadata:
            name: two
      - target:
          name: three
        patch: |-
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: not-renamed
    `));
    t.writeF('app/cms.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: one
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: two
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: three
    `));
    t.expectBuild('app', `
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: renamed
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: three
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: two
    `);
  });
  test('a patch whose target matches nothing by id is an error', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      patches:
      - path: patch.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    t.writeF('app/patch.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: missing
      data:
        x: y
    `));
    // kustomize: "no resource matches strategic merge patch \"ConfigMap.v1.[noGrp]/missing.[noNs]\": no matches for Id ConfigMap.v1.[noGrp]/missing.[noNs]; failed to find unique target for patch ConfigMap.v1.[noGrp]/missing.[noNs]"
    t.expectError('app', /no matches for Id ConfigMap\.v1\.\[noGrp\]\/missing\.\[noNs\]; failed to find unique target for patch/, { file: 'app/patch.yaml', line: 1 });
  });
});

describe('patchesStrategicMerge', () => {
  test('patchesStrategicMerge: a file and an inline patch, including $patch: delete', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - deploy.yaml
      - cm.yaml
      patchesStrategicMerge:
      - replicas.yaml
      - |-
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        $patch: delete
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/cm.yaml', CM);
    t.writeF('app/replicas.yaml', dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
    `));
    t.expectBuild('app', `
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
});

describe('patchesJson6902', () => {
  test('patchesJson6902: a path and inline operations', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - deploy.yaml
      patchesJson6902:
      - target:
          group: apps
          version: v1
          kind: Deployment
          name: web
        path: ops.yaml
      - target:
          version: v1
          group: apps
          kind: Deployment
          name: web
        patch: |-
          [{"op": "add", "path": "/metadata/annotations", "value": {"inline": "yes"}}]
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/ops.yaml', dedent(`
      - op: replace
        path: /spec/replicas
        value: 9
      - op: add
        path: /spec/template/spec/containers/0/args
        value: ["--verbose"]
    `));
    t.expectBuild('app', `
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          inline: "yes"
        labels:
          app: web
        name: web
      spec:
        replicas: 9
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - args:
              - --verbose
              image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
});

describe('replacements', () => {
  test('replacements inline and from a file', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - deploy.yaml
      - cm.yaml
      replacements:
      - source:
          kind: ConfigMap
          name: settings
          fieldPath: data.mode
        targets:
        - select:
            kind: Deployment
          fieldPaths:
          - metadata.annotations.mode
          options:
            create: true
      - path: image-replacement.yaml
    `));
    t.writeF('app/image-replacement.yaml', dedent(`
      source:
        kind: Deployment
        name: web
        fieldPath: spec.template.spec.containers.[name=web].image
      targets:
      - select:
          kind: ConfigMap
        fieldPaths:
        - data.image
        options:
          create: true
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.writeF('app/cm.yaml', CM);
    t.expectBuild('app', `
      apiVersion: v1
      data:
        image: nginx:1.25
        mode: base
      kind: ConfigMap
      metadata:
        name: settings
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        annotations:
          mode: base
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
});

describe('vars', () => {
  test('vars are substituted into $(VAR) references', () => {
    const t = harness();
    t.writeK('app', dedent(`
      namePrefix: x-
      resources:
      - svc.yaml
      - pod.yaml
      vars:
      - name: SVC
        objref:
          kind: Service
          name: db
          apiVersion: v1
      - name: PORT
        objref:
          kind: Service
          name: db
          apiVersion: v1
        fieldref:
          fieldpath: spec.ports[0].port
    `));
    t.writeF('app/svc.yaml', dedent(`
      apiVersion: v1
      kind: Service
      metadata:
        name: db
      spec:
        ports:
        - port: 5432
    `));
    t.writeF('app/pod.yaml', dedent(`
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
      spec:
        containers:
        - name: c
          image: psql
          command: ["psql", "-h", "$(SVC)", "-p", "$(PORT)"]
          env:
          - name: URL
            value: postgres://$(SVC):$(PORT)
    `));
    t.expectBuild('app', `
      apiVersion: v1
      kind: Service
      metadata:
        name: x-db
      spec:
        ports:
        - port: 5432
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: x-client
      spec:
        containers:
        - command:
          - psql
          - -h
          - x-db
          - -p
          - 5432
          env:
          - name: URL
            value: postgres://x-db:5432
          image: psql
          name: c
    `);
  });
});

describe('configurations', () => {
  test('configurations teach prefix, labels, images and name references for a custom kind', () => {
    const t = harness();
    t.writeK('app', dedent(`
      namePrefix: p-
      commonLabels:
        app: demo
      images:
      - name: worker
        newTag: v2
      configurations:
      - config.yaml
      resources:
      - job.yaml
      - cm.yaml
    `));
    t.writeF('app/config.yaml', dedent(`
      commonLabels:
      - kind: Task
        path: spec/podLabels
        create: true
      images:
      - kind: Task
        path: spec/runner/image
      nameReference:
      - kind: ConfigMap
        fieldSpecs:
        - kind: Task
          path: spec/configName
    `));
    t.writeF('app/cm.yaml', CM);
    t.writeF('app/job.yaml', dedent(`
      apiVersion: example.com/v1
      kind: Task
      metadata:
        name: nightly
      spec:
        configName: settings
        runner:
          image: worker:v1
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        labels:
          app: demo
        name: p-settings
      ---
      apiVersion: example.com/v1
      kind: Task
      metadata:
        labels:
          app: demo
        name: p-nightly
      spec:
        configName: p-settings
        podLabels:
          app: demo
        runner:
          image: worker:v2
    `);
  });
});

describe('crds', () => {
  test('crds teach name references through x-kubernetes-object-ref', () => {
    const t = harness();
    t.writeK('app', dedent(`
      namePrefix: p-
      crds:
      - crd.json
      resources:
      - task.yaml
      - cm.yaml
    `));
    t.writeF('app/crd.json', dedent(`
      {
        "example.com.v1.Task": {
          "Schema": {
            "properties": {
              "apiVersion": {
                "type": "string"
              },
              "kind": {
                "type": "string"
              },
              "metadata": {
                "type": "object"
              },
              "spec": {
                "$ref": "example.com.v1.TaskSpec"
              }
            }
          }
        },
        "example.com.v1.TaskSpec": {
          "Schema": {
            "properties": {
              "config": {
                "x-kubernetes-object-ref-api-version": "v1",
                "x-kubernetes-object-ref-kind": "ConfigMap",
                "type": "object"
              }
            }
          }
        }
      }
    `));
    t.writeF('app/cm.yaml', CM);
    t.writeF('app/task.yaml', dedent(`
      apiVersion: example.com/v1
      kind: Task
      metadata:
        name: nightly
      spec:
        config:
          name: settings
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        name: p-settings
      ---
      apiVersion: example.com/v1
      kind: Task
      metadata:
        name: p-nightly
      spec:
        config:
          name: p-settings
    `);
  });
});

describe('openapi', () => {
  test('openapi: a custom schema makes a list merge by key', () => {
    const t = harness();
    t.writeK('app', dedent(`
      openapi:
        path: schema.json
      resources:
      - w.yaml
      patches:
      - patch: |-
          apiVersion: example.com/v1
          kind: Widget
          metadata:
            name: w
          spec:
            parts:
            - name: b
              size: 20
    `));
    t.writeF('app/w.yaml', dedent(`
      apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: w
      spec:
        parts:
        - name: a
          size: 1
        - name: b
          size: 2
    `));
    t.writeF('app/schema.json', dedent(`
      {
        "definitions": {
          "com.example.v1.Widget": {
            "type": "object",
            "properties": {
              "spec": {
                "type": "object",
                "properties": {
                  "parts": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "name": {
                          "type": "string"
                        },
                        "size": {
                          "type": "integer"
                        }
                      }
                    },
                    "x-kubernetes-patch-merge-key": "name",
                    "x-kubernetes-patch-strategy": "merge"
                  }
                }
              }
            },
            "x-kubernetes-group-version-kind": [
              {
                "group": "example.com",
                "version": "v1",
                "kind": "Widget"
              }
            ]
          }
        }
      }
    `));
    t.expectBuild('app', `
      apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: w
      spec:
        parts:
        - name: b
          size: 20
        - name: a
          size: 1
    `);
  });
  test('without the schema the same patch replaces the list', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - w.yaml
      patches:
      - patch: |-
          apiVersion: example.com/v1
          kind: Widget
          metadata:
            name: w
          spec:
            parts:
            - name: b
              size: 20
    `));
    t.writeF('app/w.yaml', dedent(`
      apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: w
      spec:
        parts:
        - name: a
          size: 1
        - name: b
          size: 2
    `));
    t.expectBuild('app', `
      apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: w
      spec:
        parts:
        - name: b
          size: 20
    `);
  });
});

describe('sortOptions', () => {
  test('default (legacy) order puts Namespaces and RBAC first and webhooks last', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - mixed.yaml
    `));
    t.writeF('app/mixed.yaml', MIXED);
    t.expectBuild('app', `
      apiVersion: v1
      kind: Namespace
      metadata:
        name: ns
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: role
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cfg
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingWebhookConfiguration
      metadata:
        name: hook
    `);
  });
  test('fifo keeps the input order', () => {
    const t = harness();
    t.writeK('app', dedent(`
      sortOptions:
        order: fifo
      resources:
      - mixed.yaml
    `));
    t.writeF('app/mixed.yaml', MIXED);
    t.expectBuild('app', `
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingWebhookConfiguration
      metadata:
        name: hook
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cfg
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: role
      ---
      apiVersion: v1
      kind: Namespace
      metadata:
        name: ns
    `);
  });
  test('legacy with a custom orderFirst/orderLast', () => {
    const t = harness();
    t.writeK('app', dedent(`
      sortOptions:
        order: legacy
        legacySortOptions:
          orderFirst:
          - Service
          orderLast:
          - Namespace
      resources:
      - mixed.yaml
    `));
    t.writeF('app/mixed.yaml', MIXED);
    t.expectBuild('app', `
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      ---
      apiVersion: admissionregistration.k8s.io/v1
      kind: ValidatingWebhookConfiguration
      metadata:
        name: hook
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: role
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cfg
      ---
      apiVersion: v1
      kind: Namespace
      metadata:
        name: ns
    `);
  });
});

describe('buildMetadata', () => {
  test('originAnnotations and managedByLabel', () => {
    const t = harness();
    t.writeK('base', dedent(`
      resources:
      - cm.yaml
    `));
    t.writeF('base/cm.yaml', CM);
    t.writeK('overlay', dedent(`
      buildMetadata:
      - originAnnotations
      - managedByLabel
      resources:
      - ../base
      configMapGenerator:
      - name: gen
        literals:
        - a=b
    `));
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        a: b
      kind: ConfigMap
      metadata:
        annotations:
          config.kubernetes.io/origin: |
            configuredIn: kustomization.yaml
            configuredBy:
              apiVersion: builtin
              kind: ConfigMapGenerator
        labels:
          app.kubernetes.io/managed-by: kustomize-(devel)
        name: gen-4h2mbtbbt6
      ---
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        annotations:
          config.kubernetes.io/origin: |
            path: ../base/cm.yaml
        labels:
          app.kubernetes.io/managed-by: kustomize-(devel)
        name: settings
    `);
  });
});

describe('transformers/generators', () => {
  test('transformers entries configure builtins (file and inline)', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - deploy.yaml
      transformers:
      - labels.yaml
      - |-
        apiVersion: builtin
        kind: PrefixSuffixTransformer
        metadata:
          name: prefix
        prefix: t-
        fieldSpecs:
        - path: metadata/name
    `));
    t.writeF('app/labels.yaml', dedent(`
      apiVersion: builtin
      kind: LabelTransformer
      metadata:
        name: labels
      labels:
        via: transformer
      fieldSpecs:
      - path: metadata/labels
        create: true
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.expectBuild('app', `
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
          via: transformer
        name: t-web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
  test('generators entries configure builtin generators', () => {
    const t = harness();
    t.writeK('app', dedent(`
      generators:
      - cm-gen.yaml
      - |-
        apiVersion: builtin
        kind: SecretGenerator
        metadata:
          name: inline-secret
        literals:
        - token=abc
    `));
    t.writeF('app/cm-gen.yaml', dedent(`
      apiVersion: builtin
      kind: ConfigMapGenerator
      metadata:
        name: from-plugin
      literals:
      - k=v
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        k: v
      kind: ConfigMap
      metadata:
        name: from-plugin-bdg947hgcc
      ---
      apiVersion: v1
      data:
        token: YWJj
      kind: Secret
      metadata:
        name: inline-secret-dbdgd77ct8
      type: Opaque
    `);
  });
});

describe('name references', () => {
  test('renamed ConfigMap, Secret, ServiceAccount and PVC are followed from a Deployment; RoleBinding subjects and roleRef', () => {
    const t = harness();
    t.writeK('app', dedent(`
      namePrefix: p-
      namespace: ns1
      resources:
      - all.yaml
      configMapGenerator:
      - name: cfg
        literals:
        - a=1
      secretGenerator:
      - name: sec
        literals:
        - b=2
    `));
    t.writeF('app/all.yaml', dedent(`
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: sa
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 1Gi
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: r
      rules: []
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: rb
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: r
      subjects:
      - kind: ServiceAccount
        name: sa
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            serviceAccountName: sa
            containers:
            - name: web
              image: nginx
              env:
              - name: A
                valueFrom:
                  configMapKeyRef:
                    name: cfg
                    key: a
              - name: B
                valueFrom:
                  secretKeyRef:
                    name: sec
                    key: b
            volumes:
            - name: data
              persistentVolumeClaim:
                claimName: data
            - name: s
              secret:
                secretName: sec
    `));
    t.expectBuild('app', `
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: p-sa
        namespace: ns1
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata:
        name: p-r
        namespace: ns1
      rules: []
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: p-rb
        namespace: ns1
      roleRef:
        apiGroup: rbac.authorization.k8s.io
        kind: Role
        name: p-r
      subjects:
      - kind: ServiceAccount
        name: p-sa
        namespace: ns1
      ---
      apiVersion: v1
      data:
        a: "1"
      kind: ConfigMap
      metadata:
        name: p-cfg-h29d89cmmt
        namespace: ns1
      ---
      apiVersion: v1
      data:
        b: Mg==
      kind: Secret
      metadata:
        name: p-sec-6dg6bbh8f9
        namespace: ns1
      type: Opaque
      ---
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: p-data
        namespace: ns1
      spec:
        accessModes:
        - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: p-web
        namespace: ns1
      spec:
        template:
          spec:
            containers:
            - env:
              - name: A
                valueFrom:
                  configMapKeyRef:
                    key: a
                    name: p-cfg-h29d89cmmt
              - name: B
                valueFrom:
                  secretKeyRef:
                    key: b
                    name: p-sec-6dg6bbh8f9
              image: nginx
              name: web
            serviceAccountName: p-sa
            volumes:
            - name: data
              persistentVolumeClaim:
                claimName: p-data
            - name: s
              secret:
                secretName: p-sec-6dg6bbh8f9
    `);
  });
});

describe('load restriction', () => {
  test('a file outside the root is rejected', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - ../outside/cm.yaml
    `));
    t.writeF('outside/cm.yaml', CM);
    // kustomize: "accumulating resources: accumulation err='accumulating resources from '../outside/cm.yaml': security; file '/outside/cm.yaml' is not in or below '/app'': must build at directory: '/outside/cm.yaml': file is not directory"
    t.expectError('app', /security; file '\/ws\/outside\/cm\.yaml' is not in or below '\/ws\/app'/, { file: 'app/kustomization.yaml', line: 2 });
  });
  test('loadRestrictor none lifts it', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - ../outside/cm.yaml
      configMapGenerator:
      - name: shared
        files:
        - ../outside/shared.txt
    `));
    t.writeF('outside/cm.yaml', CM);
    t.writeF('outside/shared.txt', dedent(`
      shared
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        name: settings
      ---
      apiVersion: v1
      data:
        shared.txt: |
          shared
      kind: ConfigMap
      metadata:
        name: shared-9bkcdh5td2
    `, { loadRestrictor: 'none' });
  });
  test('a generator file outside the root is rejected', () => {
    const t = harness();
    t.writeK('app', dedent(`
      configMapGenerator:
      - name: shared
        files:
        - ../outside/shared.txt
    `));
    t.writeF('outside/shared.txt', dedent(`
      shared
    `));
    // kustomize: "loading KV pairs: file sources: [../outside/shared.txt]: security; file '/outside/shared.txt' is not in or below '/app'"
    t.expectError('app', /security; file '\/ws\/outside\/shared\.txt' is not in or below '\/ws\/app'/, { file: 'app/kustomization.yaml', line: 4 });
  });
});

describe('kustomization files', () => {
  test('kustomization.yml and Kustomization are found too; apiVersion, kind and metadata are accepted', () => {
    const t = harness();
    t.writeF('base/Kustomization', dedent(`
      resources:
      - cm.yaml
    `));
    t.writeF('base/cm.yaml', CM);
    t.writeF('overlay/kustomization.yml', dedent(`
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      metadata:
        name: overlay
      resources:
      - ../base
      nameSuffix: -o
    `));
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        mode: base
      kind: ConfigMap
      metadata:
        name: settings-o
    `);
  });
  test('two kustomization files in one folder is an error', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
    `));
    t.writeF('app/kustomization.yml', dedent(`
      resources:
      - cm.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: < Found multiple kustomization files under: /app >
    t.expectError('app', /Found multiple kustomization files under: \/ws\/app/, { file: 'app/kustomization.yml' });
  });
  test('a wrong kind is an error', () => {
    const t = harness();
    t.writeK('app', dedent(`
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomisation
      resources:
      - cm.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: < Failed to read kustomization file under /app: kind should be Kustomization or Component >
    t.expectError('app', /Failed to read kustomization file under \/ws\/app:\nkind should be Kustomization or Component/, { file: 'app/kustomization.yaml', line: 2 });
  });
});

describe('images', () => {
  test('imageTags (the old name of images)', () => {
    const t = harness();
    t.writeK('app', dedent(`
      imageTags:
      - name: nginx
        newTag: "1.27"
      resources:
      - deploy.yaml
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.expectBuild('app', `
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: nginx:1.27
              name: web
              ports:
              - containerPort: 80
    `);
  });
});

describe('openapi', () => {
  test('openapi version v1.21.2 is the built-in schema', () => {
    const t = harness();
    t.writeK('app', dedent(`
      openapi:
        version: v1.21.2
      resources:
      - deploy.yaml
      patches:
      - patch: |-
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            template:
              spec:
                containers:
                - name: sidecar
                  image: envoy
    `));
    t.writeF('app/deploy.yaml', DEPLOY);
    t.expectBuild('app', `
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
      spec:
        replicas: 1
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - image: envoy
              name: sidecar
            - image: nginx:1.25
              name: web
              ports:
              - containerPort: 80
    `);
  });
  test('an openapi version that is not built in is an error', () => {
    const t = harness();
    t.writeK('app', dedent(`
      openapi:
        version: v1.99.0
      resources:
      - cm.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: "the specified OpenAPI version is not built in"
    t.expectError('app', /the specified OpenAPI version is not built in/, { file: 'app/kustomization.yaml', line: 2 });
  });
});

describe('configMapGenerator', () => {
  test('namespace and the single env file (env)', () => {
    const t = harness();
    t.writeK('app', dedent(`
      configMapGenerator:
      - name: one
        namespace: other
        env: a.env
    `));
    t.writeF('app/a.env', dedent(`
      A=1
      B="quoted value"
    `));
    t.expectBuild('app', `
      apiVersion: v1
      data:
        A: "1"
        B: '"quoted value"'
      kind: ConfigMap
      metadata:
        name: one-9dfmkmgff9
        namespace: other
    `);
  });
});

describe('components', () => {
  test('a component generator merges into the ConfigMap of a base, and components can nest', () => {
    const t = harness();
    t.writeK('base', dedent(`
      configMapGenerator:
      - name: cfg
        literals:
        - a=1
    `));
    t.writeK('inner', dedent(`
      apiVersion: kustomize.config.k8s.io/v1alpha1
      kind: Component
      nameSuffix: -x
    `));
    t.writeK('comp', dedent(`
      apiVersion: kustomize.config.k8s.io/v1alpha1
      kind: Component
      components:
      - ../inner
      configMapGenerator:
      - name: cfg
        behavior: merge
        literals:
        - b=2
    `));
    t.writeK('overlay', dedent(`
      resources:
      - ../base
      components:
      - ../comp
    `));
    t.expectBuild('overlay', `
      apiVersion: v1
      data:
        a: "1"
        b: "2"
      kind: ConfigMap
      metadata:
        name: cfg-x-7gdc49gk6d
    `);
  });
});

describe('helm', () => {
  test('helmChartInflationGenerator (old form) also needs --enable-helm', () => {
    const t = harness();
    t.writeK('app', dedent(`
      helmGlobals:
        chartHome: charts
      helmChartInflationGenerator:
      - chartName: podinfo
        chartVersion: 6.5.0
    `));
    // kustomize: < trouble configuring builtin HelmChartInflationGenerator with config: ` chartHome: charts name: podinfo version: 6.5.0 `: must specify --enable-helm >
    t.expectError('app', /must specify --enable-helm/, { file: 'app/kustomization.yaml', line: 4 });
  });
});

describe('validators', () => {
  test('validators need plugins', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      validators:
      - |-
        apiVersion: example.com/v1
        kind: MyValidator
        metadata:
          name: v
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: "external plugins disabled; unable to load external plugin 'MyValidator'"
    t.expectError('app', /MyValidator/, { file: 'app/kustomization.yaml', line: 4 });
  });
});

describe('errors', () => {
  test('helmCharts without --enable-helm', () => {
    const t = harness();
    t.writeK('app', dedent(`
      helmCharts:
      - name: podinfo
        repo: https://stefanprodan.github.io/podinfo
        version: 6.5.0
    `));
    // kustomize: < trouble configuring builtin HelmChartInflationGenerator with config: ` name: podinfo repo: https://stefanprodan.github.io/podinfo version: 6.5.0 `: must specify --enable-helm >
    t.expectError('app', /must specify --enable-helm/, { file: 'app/kustomization.yaml', line: 2 });
  });
  test('cycles between kustomizations', () => {
    const t = harness();
    t.writeK('a', dedent(`
      resources:
      - ../b
    `));
    t.writeK('b', dedent(`
      resources:
      - ../a
    `));
    // kustomize: "accumulating resources: accumulation err='accumulating resources from '../b': '/b' must resolve to a file': recursed accumulation of path '/b': accumulating resources: accumulation err='accumulating resources from '../a': '/a' must resolve to a file': cycle detected: candidate root '/a' contains visited root '/a'"
    t.expectError('a', /cycle detected.*\/ws\/a.*\/ws\/b.*\/ws\/a/);
  });
  test('a missing resource file', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      - missing.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: "accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/app/missing.yaml' : lstat /app/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/app/missing.yaml' : lstat /app/missing.yaml: no such file or directory"
    t.expectError('app', /accumulating resources from 'missing\.yaml'.*\/ws\/app\/missing\.yaml: no such file or directory/, { file: 'app/kustomization.yaml', line: 3 });
  });
  test('a missing patch file', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      patches:
      - path: nope.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: < trouble configuring builtin PatchTransformer with config: ` path: nope.yaml `: failed to get the patch file from path(nope.yaml): evalsymlink failure on '/app/nope.yaml' : lstat /app/nope.yaml: no such file or directory >
    t.expectError('app', /\/ws\/app\/nope\.yaml: no such file or directory/, { file: 'app/kustomization.yaml', line: 4 });
  });
  test('no kustomization file', () => {
    const t = harness();
    t.writeF('app/cm.yaml', CM);
    // kustomize: "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/app'"
    t.expectError('app', /unable to find one of 'kustomization\.yaml', 'kustomization\.yml' or 'Kustomization' in directory '\/ws\/app'/, { file: 'app' });
  });
  test('malformed YAML in a resource file', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - bad.yaml
    `));
    t.writeF('app/bad.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: bad
      data:
        a: [1, 2
        b: c
    `));
    // kustomize: "accumulating resources: accumulating resources from 'bad.yaml': MalformedYAMLError: yaml: line 5: did not find expected ',' or ']' in File: bad.yaml"
    t.expectError('app', /bad\.yaml: yaml: line 7: /, { file: 'app/bad.yaml', line: 7 });
  });
  test('malformed YAML in the second document of a resource file', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      - bad.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    t.writeF('app/bad.yaml', dedent(`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: good
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: bad
      data:
        a: b: c
    `));
    // kustomize: "accumulating resources: accumulating resources from 'bad.yaml': MalformedYAMLError: yaml: line 6: mapping values are not allowed in this context in File: bad.yaml"
    t.expectError('app', /bad\.yaml: yaml: line 11: /, { file: 'app/bad.yaml', line: 11 });
  });
  test('malformed YAML in the kustomization', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      namePrefix: "unterminated
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: "invalid Kustomization: yaml: line 4: found unexpected end of stream"
    t.expectError('app', /yaml: line 4: /, { file: 'app/kustomization.yaml', line: 4 });
  });
  test('a YAML 1.1 boolean (on) where kustomize wants a string', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      commonAnnotations:
        feature: on
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: "invalid Kustomization: json: cannot unmarshal bool into Go struct field Kustomization.commonAnnotations of type string"
    t.expectError('app', /invalid Kustomization: json: cannot unmarshal bool into Go struct field Kustomization\.commonAnnotations of type string/, { file: 'app/kustomization.yaml', line: 4 });
  });
  test('an unknown kustomization field', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources:
      - cm.yaml
      namePrefx: p-
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: "invalid Kustomization: json: unknown field \"namePrefx\""
    t.expectError('app', /invalid Kustomization: json: unknown field "namePrefx"/, { file: 'app/kustomization.yaml', line: 3 });
  });
  test('a wrongly typed kustomization field', () => {
    const t = harness();
    t.writeK('app', dedent(`
      resources: cm.yaml
    `));
    t.writeF('app/cm.yaml', CM);
    // kustomize: "invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.resources of type []string"
    t.expectError('app', /invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization\.resources of type \[\]string/, { file: 'app/kustomization.yaml', line: 1 });
  });
});

describe('deprecated fields', () => {
  test('bases and commonLabels warn, pointing at their entries', () => {
    // kustomize prints "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' ..."
    const t = harness();
    t.writeK('base', 'resources:\n- cm.yaml\n');
    t.writeF('base/cm.yaml', CM);
    t.writeK('app', 'bases:\n- ../base\ncommonLabels:\n  a: b\n');
    const { result } = t.build('app');
    const warnings = result.warnings.map((w) => [w.message, w.source?.file, (w.source?.range?.start.line ?? -1) + 1]);
    assert.deepEqual(warnings, [
      ["Warning: 'bases' is deprecated. Please use 'resources' instead.", t.abs('app/kustomization.yaml'), 2],
      ["Warning: 'commonLabels' is deprecated. Please use 'labels' instead.", t.abs('app/kustomization.yaml'), 4],
    ]);
  });

  test('in the order kustomize checks them, whatever the order in the file', () => {
    const t = harness();
    t.writeF('app/cm.yaml', CM);
    t.writeF('app/patch.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  k: v\n');
    t.writeK('app', 'vars: []\npatchesStrategicMerge:\n- patch.yaml\npatchesJson6902: []\nimageTags: []\nresources:\n- cm.yaml\n');
    const { result } = t.build('app');
    assert.deepEqual(result.warnings.map((w) => /'(\w+)' is deprecated/.exec(w.message)?.[1]), ['imageTags', 'patchesJson6902', 'patchesStrategicMerge', 'vars']);
  });
});

describe('engine-only errors (kustomize would fetch or run helm here)', () => {
  test('a remote resource is a clear error at its entry', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- cm.yaml\n- https://github.com/example/repo//deploy?ref=v1\n');
    t.writeF('app/cm.yaml', CM);
    t.expectError('app', /remote resource 'https:\/\/github\.com\/example\/repo\/\/deploy\?ref=v1' is not fetched/, { file: 'app/kustomization.yaml', line: 3 });
  });

  test('a remote resource in git form is a clear error too', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- github.com/example/repo/deploy?ref=v1\n');
    t.expectError('app', /remote resource 'github\.com\/example\/repo\/deploy\?ref=v1' is not fetched/, { file: 'app/kustomization.yaml', line: 2 });
  });

  test('helmCharts with --enable-helm but no helm runner names helm', () => {
    const t = harness();
    t.writeK('app', 'helmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n  version: 6.5.0\n');
    t.expectError('app', /helm/, { file: 'app/kustomization.yaml', line: 2 }, { enableHelm: true });
  });

  test('helmCharts with a helm runner: the chart, no namespace default, and the rendered objects', () => {
    const t = harness();
    t.writeK('app', 'namespace: apps\nhelmCharts:\n- name: podinfo\n  releaseName: pi\n  valuesInline:\n    replicaCount: 2\n');
    const calls: HelmRequest[] = [];
    const helm = (req: HelmRequest): string => {
      calls.push(req);
      return 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pi-podinfo\ndata:\n  replicas: "2"\n';
    };
    t.expectBuild('app', `
      apiVersion: v1
      data:
        replicas: "2"
      kind: ConfigMap
      metadata:
        name: pi-podinfo
        namespace: apps
    `, { enableHelm: true, helm });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.chart.name, 'podinfo');
    assert.equal(calls[0]!.chart.namespace, undefined, "kustomize passes helm the chart's namespace only, not the kustomization's");
    assert.equal(calls[0]!.kustomizationDir, t.abs('app'));
  });

  test('building a folder that does not exist', () => {
    const t = harness();
    t.expectError('nowhere', /must build at directory: not a valid directory/);
  });

  test('a cycle through a component does not hang either', () => {
    const t = harness();
    t.writeK('app', 'resources:\n- ../lib\n');
    t.writeK('lib', 'resources:\n- ../lib2\n');
    t.writeK('lib2', 'resources:\n- ../app\n');
    t.expectError('app', /cycle detected/);
  });
});
