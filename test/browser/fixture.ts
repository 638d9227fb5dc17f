// A kustomization tree rendered inside the browser, and what `kubectl kustomize overlays/prod`
// (kustomize v5.5.0) printed for it, kept verbatim (kubectl orders map keys alphabetically; the
// test compares documents, not key order).

export const ROOT = '/repo';
export const BUILD_DIR = '/repo/overlays/prod';

export const FILES: Record<string, string> = {
  'base/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
  - pairs:
      app: hello
    includeSelectors: true
resources:
  - deployment.yaml
  - service.yaml
configMapGenerator:
  - name: hello-config
    literals:
      - GREETING=hello
      - TARGET=world
`,
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: hello
          image: example/hello:latest
          envFrom:
            - configMapRef:
                name: hello-config
`,
  'base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
  ports:
    - port: 80
      targetPort: 8080
`,
  'overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
namePrefix: prod-
resources:
  - ../../base
images:
  - name: example/hello
    newTag: "1.2.3"
replicas:
  - name: hello
    count: 3
secretGenerator:
  - name: hello-secret
    literals:
      - TOKEN=s3cr3t
patches:
  - path: memory.yaml
  - target:
      kind: Deployment
    patch: |-
      - op: add
        path: /spec/template/spec/containers/0/ports
        value:
          - containerPort: 8080
`,
  'overlays/prod/memory.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - name: hello
          resources:
            limits:
              memory: 128Mi
`,
};

/** `kubectl kustomize overlays/prod`, verbatim. */
export const EXPECTED_YAML = `apiVersion: v1
data:
  GREETING: hello
  TARGET: world
kind: ConfigMap
metadata:
  labels:
    app: hello
  name: prod-hello-config-m4mhmgtgg8
  namespace: prod
---
apiVersion: v1
data:
  TOKEN: czNjcjN0
kind: Secret
metadata:
  name: prod-hello-secret-hh6tg9287m
  namespace: prod
type: Opaque
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: hello
  name: prod-hello
  namespace: prod
spec:
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: hello
  name: prod-hello
  namespace: prod
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: prod-hello-config-m4mhmgtgg8
        image: example/hello:1.2.3
        name: hello
        ports:
        - containerPort: 8080
        resources:
          limits:
            memory: 128Mi
`;
