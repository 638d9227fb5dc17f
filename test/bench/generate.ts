// Generates a realistic GitOps kustomize tree for the benchmarks: a few shared bases (apps made of a
// Deployment, Service, ServiceAccount, ConfigMap, HPA and PDB that reference each other, plus a
// platform base with RBAC, a StatefulSet and a configMapGenerator), and N overlays that each use
// all bases with namePrefix, namespace, labels, annotations, configMap/secret generators (one
// merging into a base generator), a strategic-merge patch, JSON 6902 patches (inline and from a
// file), images and replicas. A root kustomization includes every overlay.
//
// The tree is returned as { relativePath: text } so it can be written to disk (CLI vs kubectl) or
// into a MemoryHost (in-process re-render).

export interface TreeShape {
  /** Overlays under overlays/, all included by the root kustomization. */
  overlays: number;
  /** Apps in each of the two app bases (frontend, backend); each app is 6 resources. */
  appsPerBase: number;
}

export interface Tree {
  files: Record<string, string>;
  /** The directory to build, relative to the tree (the root kustomization). */
  root: string;
  /** Resources the build prints (computed from the shape). */
  expectedResources: number;
  /** A file and a value in it that the re-render benchmark rewrites. */
  editable: { file: string; marker: string };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function app(base: string, i: number): string {
  const name = `${base}-${i}`;
  const image = `ghcr.io/acme/${base}`;
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,checkout,recommendations"
  app.properties: |
    server.port=8080
    cache.ttl=300
    upstream=http://${base}-${(i + 1) % 3}:8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/part-of: ${base}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
      containers:
      - name: app
        image: ${image}:1.0.0
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        env:
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef:
              name: ${name}-config
              key: LOG_LEVEL
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        envFrom:
        - configMapRef:
            name: platform-settings
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          periodSeconds: 5
        livenessProbe:
          httpGet:
            path: /livez
            port: http
        volumeMounts:
        - name: config
          mountPath: /etc/app
      - name: proxy
        image: envoyproxy/envoy:v1.29.0
        ports:
        - containerPort: 15001
      volumes:
      - name: config
        configMap:
          name: ${name}-config
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app.kubernetes.io/name: ${name}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 75
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${name}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
`;
}

function appBase(base: string, apps: number): Record<string, string> {
  const files: Record<string, string> = {};
  const names: string[] = [];
  for (let i = 0; i < apps; i++) {
    files[`bases/${base}/${base}-${i}.yaml`] = app(base, i);
    names.push(`${base}-${i}.yaml`);
  }
  files[`bases/${base}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
- pairs:
    app.kubernetes.io/component: ${base}
  includeSelectors: false
resources:
${names.map((n) => `- ${n}`).join('\n')}
`;
  return files;
}

/** 5 resources + 1 generated ConfigMap. */
function platformBase(): Record<string, string> {
  return {
    'bases/platform/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
commonAnnotations:
  team: platform
resources:
- rbac.yaml
- redis.yaml
- netpol.yaml
configMapGenerator:
- name: platform-settings
  literals:
  - REDIS_HOST=redis
  - TRACING_ENDPOINT=http://otel-collector:4317
`,
    'bases/platform/rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: config-reader
rules:
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: config-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: config-reader
subjects:
- kind: ServiceAccount
  name: frontend-0
- kind: ServiceAccount
  name: backend-0
`,
    'bases/platform/redis.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  serviceName: redis
  replicas: 1
  selector:
    matchLabels:
      app: redis
  template:
    metadata:
      labels:
        app: redis
    spec:
      containers:
      - name: redis
        image: redis:7.2
        ports:
        - containerPort: 6379
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
---
apiVersion: v1
kind: Service
metadata:
  name: redis
spec:
  clusterIP: None
  selector:
    app: redis
  ports:
  - port: 6379
`,
    'bases/platform/netpol.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes: ["Ingress"]
`,
  };
}

function overlay(n: number): Record<string, string> {
  const id = `ov-${pad(n)}`;
  const dir = `overlays/${id}`;
  const env = ['dev', 'staging', 'prod'][n % 3]!;
  return {
    [`${dir}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: team-${pad(n)}
namePrefix: ${id}-
labels:
- pairs:
    environment: ${env}
    tenant: ${id}
  includeSelectors: false
  includeTemplates: true
commonAnnotations:
  owner: team-${pad(n)}@acme.example
resources:
- ../../bases/frontend
- ../../bases/backend
- ../../bases/platform
configMapGenerator:
- name: platform-settings
  behavior: merge
  literals:
  - TENANT=${id}
  - REGION=eu-west-${(n % 3) + 1}
- name: ${id}-overrides
  envs:
  - overrides.env
secretGenerator:
- name: api-credentials
  literals:
  - token=t0k3n-${pad(n)}
  type: Opaque
patches:
- path: patch-resources.yaml
- path: patch-backend-json.yaml
  target:
    group: apps
    version: v1
    kind: Deployment
    name: backend-0
- target:
    kind: HorizontalPodAutoscaler
    name: frontend-.*
  patch: |-
    - op: replace
      path: /spec/maxReplicas
      value: ${10 + (n % 5)}
images:
- name: ghcr.io/acme/frontend
  newTag: 2.${n}.0
- name: ghcr.io/acme/backend
  newName: registry.acme.example/backend
  newTag: 3.${n}.1
- name: envoyproxy/envoy
  digest: sha256:${'ab'.repeat(32)}
replicas:
- name: frontend-0
  count: ${2 + (n % 4)}
- name: redis
  count: 3
`,
    [`${dir}/overrides.env`]: `FEATURE_X=on\nCACHE_SIZE=${128 * (1 + (n % 4))}\nOVERLAY=${id}\n`,
    [`${dir}/patch-resources.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend-0
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: GREETING
          value: hello-${pad(n)}
        resources:
          requests:
            cpu: 250m
            memory: 256Mi
          limits:
            memory: 512Mi
`,
    [`${dir}/patch-backend-json.yaml`]: `- op: add
  path: /spec/template/spec/containers/0/env/-
  value:
    name: DB_POOL
    value: "${5 + (n % 10)}"
- op: replace
  path: /spec/template/spec/containers/0/resources/requests/cpu
  value: 500m
- op: add
  path: /spec/template/metadata/annotations/sidecar.istio.io~1inject
  value: "false"
`,
  };
}

export function resourcesPerOverlay(appsPerBase: number): number {
  // 2 app bases × apps × 6, platform 5 + 1 generated, overlay 1 ConfigMap + 1 Secret generated.
  return 2 * appsPerBase * 6 + 6 + 2;
}

export function generateTree(shape: TreeShape): Tree {
  const files: Record<string, string> = {
    ...appBase('frontend', shape.appsPerBase),
    ...appBase('backend', shape.appsPerBase),
    ...platformBase(),
  };
  const ovs: string[] = [];
  for (let n = 0; n < shape.overlays; n++) {
    Object.assign(files, overlay(n));
    ovs.push(`overlays/ov-${pad(n)}`);
  }
  files['kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
commonAnnotations:
  argocd.argoproj.io/sync-wave: "1"
resources:
${ovs.map((o) => `- ${o}`).join('\n')}
`;
  return {
    files,
    root: '.',
    expectedResources: shape.overlays * resourcesPerOverlay(shape.appsPerBase),
    editable: { file: 'overlays/ov-00/patch-resources.yaml', marker: 'hello-00' },
  };
}
