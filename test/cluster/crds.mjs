// CustomResourceDefinitions of the GitOps agents, installed into the test
// cluster at `up`. Written for this project from the agents' published API
// reference (Argo CD v1alpha1 types, Flux kustomize v1, source v1, helm v2).
//
// How complete each schema is:
// - The fields that GitOps Lens reads or that a manifest commonly sets are
//   typed (with the upstream enums, patterns and required lists), so the API
//   server validates and defaults them as the agents' CRDs would.
// - Deep or rarely used sub-objects (Helm values, Argo sync operation and
//   history, retry/hook policies, Flux post-renderers, ...) are objects with
//   x-kubernetes-preserve-unknown-fields, and spec/status themselves preserve
//   unknown fields, so nothing a real manifest sets is pruned.
// - Every CRD has the status subresource, as the issue asks. (Upstream Flux
//   CRDs have it; upstream Argo CD CRDs do not, Argo CD writes status
//   through the main resource. Here both do, so a status written with a plain
//   update is ignored, as on a Flux cluster.)

const str = (extra = {}) => ({ type: 'string', ...extra });
const bool = () => ({ type: 'boolean' });
const int = (extra = {}) => ({ type: 'integer', ...extra });
const obj = (properties, required) => ({ type: 'object', properties, ...(required ? { required } : {}) });
const open = (properties = {}) => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...(Object.keys(properties).length ? { properties } : {}) });
const arr = (items, extra = {}) => ({ type: 'array', items, ...extra });
const strMap = () => ({ type: 'object', additionalProperties: { type: 'string' } });
const duration = () => str({ pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' });
const dateTime = () => str({ format: 'date-time' });

/** metav1.Condition, as Flux uses it. */
const condition = () =>
  obj(
    {
      type: str({ maxLength: 316 }),
      status: str({ enum: ['True', 'False', 'Unknown'] }),
      observedGeneration: int({ format: 'int64', minimum: 0 }),
      lastTransitionTime: dateTime(),
      reason: str({ maxLength: 1024 }),
      message: str({ maxLength: 32768 }),
    },
    ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
  );
const conditions = () => arr(condition());

const readyColumns = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].message' },
];

function crd({ group, kind, plural, singular, shortNames, categories, version, scope = 'Namespaced', schema, columns, requireSpec = false }) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}`, labels: { 'app.kubernetes.io/part-of': 'gitops-lens-test-cluster' } },
    spec: {
      group,
      scope,
      names: { kind, listKind: `${kind}List`, plural, singular, ...(shortNames ? { shortNames } : {}), ...(categories ? { categories } : {}) },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          subresources: { status: {} },
          ...(columns ? { additionalPrinterColumns: columns } : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { apiVersion: str(), kind: str(), metadata: { type: 'object' }, ...schema },
              ...(requireSpec ? { required: ['metadata', 'spec'] } : {}),
            },
          },
        },
      ],
    },
  };
}

// ---- Argo CD (argoproj.io/v1alpha1) ----------------------------------------

const argoSource = () =>
  open({
    repoURL: str(),
    path: str(),
    targetRevision: str(),
    chart: str(),
    ref: str(),
    name: str(),
    helm: open({
      releaseName: str(),
      valueFiles: arr(str()),
      values: str(),
      valuesObject: open(),
      parameters: arr(obj({ name: str(), value: str(), forceString: bool() })),
      skipCrds: bool(),
      namespace: str(),
      version: str(),
    }),
    kustomize: open({
      namePrefix: str(),
      nameSuffix: str(),
      namespace: str(),
      images: arr(str()),
      commonLabels: strMap(),
      commonAnnotations: strMap(),
      components: arr(str()),
      patches: arr(open()),
      replicas: arr(open()),
      version: str(),
      forceCommonLabels: bool(),
      forceCommonAnnotations: bool(),
    }),
    directory: open({ recurse: bool(), include: str(), exclude: str(), jsonnet: open() }),
    plugin: open({ name: str(), env: arr(obj({ name: str(), value: str() })), parameters: arr(open()) }),
  });
// repoURL is required wherever a source appears.
const argoSourceRequired = () => ({ ...argoSource(), required: ['repoURL'] });

const destination = () => obj({ server: str(), namespace: str(), name: str() });

const application = crd({
  group: 'argoproj.io',
  kind: 'Application',
  plural: 'applications',
  singular: 'application',
  shortNames: ['app', 'apps'],
  categories: ['argo'],
  version: 'v1alpha1',
  requireSpec: true,
  columns: [
    { name: 'Sync Status', type: 'string', jsonPath: '.status.sync.status' },
    { name: 'Health Status', type: 'string', jsonPath: '.status.health.status' },
    { name: 'Revision', type: 'string', jsonPath: '.status.sync.revision', priority: 10 },
    { name: 'Project', type: 'string', jsonPath: '.spec.project', priority: 10 },
  ],
  schema: {
    operation: open({ sync: open(), initiatedBy: open({ username: str(), automated: bool() }), info: arr(open()), retry: open() }),
    spec: {
      ...open({
        project: str(),
        source: argoSourceRequired(),
        sources: arr(argoSourceRequired()),
        destination: destination(),
        syncPolicy: open({
          automated: open({ prune: bool(), selfHeal: bool(), allowEmpty: bool(), enabled: bool() }),
          syncOptions: arr(str()),
          retry: open({ limit: int({ format: 'int64' }), backoff: open({ duration: str(), factor: int({ format: 'int64' }), maxDuration: str() }) }),
          managedNamespaceMetadata: open({ labels: strMap(), annotations: strMap() }),
        }),
        ignoreDifferences: arr({
          ...obj({
            group: str(),
            kind: str(),
            name: str(),
            namespace: str(),
            jsonPointers: arr(str()),
            jqPathExpressions: arr(str()),
            managedFieldsManagers: arr(str()),
          }),
          required: ['kind'],
        }),
        info: arr(obj({ name: str(), value: str() }, ['name', 'value'])),
        revisionHistoryLimit: int({ format: 'int64' }),
        sourceHydrator: open(),
      }),
      required: ['destination', 'project'],
    },
    status: open({
      sync: open({
        status: str(),
        revision: str(),
        revisions: arr(str()),
        comparedTo: open({ source: argoSource(), sources: arr(argoSource()), destination: destination(), ignoreDifferences: arr(open()) }),
      }),
      health: open({ status: str(), message: str(), lastTransitionTime: dateTime() }),
      resources: arr(
        open({
          group: str(),
          version: str(),
          kind: str(),
          namespace: str(),
          name: str(),
          status: str(),
          health: open({ status: str(), message: str(), lastTransitionTime: dateTime() }),
          hook: bool(),
          requiresPruning: bool(),
          requiresDeletionConfirmation: bool(),
          syncWave: int({ format: 'int64' }),
        }),
      ),
      conditions: arr(obj({ type: str(), message: str(), lastTransitionTime: dateTime() }, ['type', 'message'])),
      operationState: open({ phase: str(), message: str(), startedAt: dateTime(), finishedAt: dateTime(), retryCount: int({ format: 'int64' }) }),
      history: arr(open({ id: int({ format: 'int64' }), revision: str(), revisions: arr(str()), deployedAt: dateTime(), deployStartedAt: dateTime() })),
      reconciledAt: dateTime(),
      observedAt: dateTime(),
      sourceType: str(),
      sourceTypes: arr(str()),
      summary: open({ images: arr(str()), externalURLs: arr(str()) }),
      controllerNamespace: str(),
      sourceHydrator: open(),
    }),
  },
});

const groupKind = () => ({ ...obj({ group: str(), kind: str() }), required: ['group', 'kind'] });

const appProject = crd({
  group: 'argoproj.io',
  kind: 'AppProject',
  plural: 'appprojects',
  singular: 'appproject',
  shortNames: ['appproj', 'appprojs'],
  categories: ['argo'],
  version: 'v1alpha1',
  requireSpec: true,
  schema: {
    spec: open({
      description: str(),
      sourceRepos: arr(str()),
      sourceNamespaces: arr(str()),
      destinations: arr(destination()),
      clusterResourceWhitelist: arr(groupKind()),
      clusterResourceBlacklist: arr(groupKind()),
      namespaceResourceWhitelist: arr(groupKind()),
      namespaceResourceBlacklist: arr(groupKind()),
      roles: arr(open({ name: str(), description: str(), policies: arr(str()), groups: arr(str()), jwtTokens: arr(open()) })),
      syncWindows: arr(
        open({
          kind: str(),
          schedule: str(),
          duration: str(),
          applications: arr(str()),
          namespaces: arr(str()),
          clusters: arr(str()),
          manualSync: bool(),
          timeZone: str(),
        }),
      ),
      orphanedResources: open({ warn: bool(), ignore: arr(open()) }),
      signatureKeys: arr({ ...obj({ keyID: str() }), required: ['keyID'] }),
      permitOnlyProjectScopedClusters: bool(),
      destinationServiceAccounts: arr(open({ server: str(), namespace: str(), defaultServiceAccount: str() })),
    }),
    status: open({ jwtTokensByRole: open() }),
  },
});

// ---- Flux --------------------------------------------------------------------

const localRef = () => ({ ...obj({ name: str() }), required: ['name'] });
const kubeConfigRef = () =>
  open({ secretRef: { ...obj({ name: str(), key: str() }), required: ['name'] }, configMapRef: localRef() });
const commonMetadata = () => obj({ annotations: strMap(), labels: strMap() });
const dependsOn = () => arr({ ...obj({ name: str(), namespace: str(), readyExpr: str() }), required: ['name'] });
const fluxTarget = () =>
  obj({ group: str(), version: str(), kind: str(), name: str(), namespace: str(), annotationSelector: str(), labelSelector: str() });

const kustomization = crd({
  group: 'kustomize.toolkit.fluxcd.io',
  kind: 'Kustomization',
  plural: 'kustomizations',
  singular: 'kustomization',
  shortNames: ['ks'],
  version: 'v1',
  columns: readyColumns,
  schema: {
    spec: {
      ...open({
        sourceRef: {
          ...obj({
            apiVersion: str(),
            kind: str({ enum: ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'] }),
            name: str(),
            namespace: str(),
          }),
          required: ['kind', 'name'],
        },
        path: str(),
        interval: duration(),
        retryInterval: duration(),
        timeout: duration(),
        prune: bool(),
        wait: bool(),
        force: { type: 'boolean', default: false },
        suspend: bool(),
        targetNamespace: str({ maxLength: 63, minLength: 1 }),
        namePrefix: str({ maxLength: 200, minLength: 1 }),
        nameSuffix: str({ maxLength: 200, minLength: 1 }),
        serviceAccountName: str(),
        dependsOn: dependsOn(),
        components: arr(str()),
        ignoreMissingComponents: bool(),
        images: arr({ ...obj({ name: str(), newName: str(), newTag: str(), digest: str() }), required: ['name'] }),
        patches: arr({ ...obj({ patch: str(), target: fluxTarget() }), required: ['patch'] }),
        postBuild: obj({
          substitute: strMap(),
          substituteFrom: arr({ ...obj({ kind: str({ enum: ['Secret', 'ConfigMap'] }), name: str(), optional: { type: 'boolean', default: false } }), required: ['kind', 'name'] }),
        }),
        healthChecks: arr({ ...obj({ apiVersion: str(), kind: str(), name: str(), namespace: str() }), required: ['kind', 'name'] }),
        healthCheckExprs: arr(open({ apiVersion: str(), kind: str(), current: str(), failed: str(), inProgress: str() })),
        decryption: { ...obj({ provider: str({ enum: ['sops'] }), secretRef: localRef(), serviceAccountName: str() }), required: ['provider'] },
        kubeConfig: kubeConfigRef(),
        commonMetadata: commonMetadata(),
        deletionPolicy: str({ enum: ['MirrorPrune', 'Delete', 'WaitForTermination', 'Orphan'] }),
      }),
      required: ['interval', 'prune', 'sourceRef'],
    },
    status: open({
      observedGeneration: int({ format: 'int64' }),
      conditions: conditions(),
      lastAppliedRevision: str(),
      lastAppliedOriginRevision: str(),
      lastAttemptedRevision: str(),
      lastHandledReconcileAt: str(),
      inventory: { ...obj({ entries: arr({ ...obj({ id: str(), v: str() }), required: ['id', 'v'] }) }), required: ['entries'] },
      history: arr(open()),
    }),
  },
});

const gitRepository = crd({
  group: 'source.toolkit.fluxcd.io',
  kind: 'GitRepository',
  plural: 'gitrepositories',
  singular: 'gitrepository',
  shortNames: ['gitrepo'],
  version: 'v1',
  columns: [{ name: 'URL', type: 'string', jsonPath: '.spec.url' }, ...readyColumns],
  schema: {
    spec: {
      ...open({
        url: str({ pattern: '^(http|https|ssh)://.*$' }),
        ref: obj({ branch: str(), tag: str(), semver: str(), name: str(), commit: str() }),
        secretRef: localRef(),
        provider: str({ enum: ['generic', 'azure', 'github'] }),
        serviceAccountName: str(),
        interval: duration(),
        timeout: { ...duration(), pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$', default: '60s' },
        verify: { ...obj({ mode: str({ enum: ['head', 'HEAD', 'Tag', 'TagAndHEAD'], default: 'HEAD' }), secretRef: localRef() }), required: ['secretRef'] },
        proxySecretRef: localRef(),
        ignore: str(),
        suspend: bool(),
        recurseSubmodules: bool(),
        include: arr({ ...obj({ repository: localRef(), fromPath: str(), toPath: str() }), required: ['repository'] }),
        sparseCheckout: arr(str()),
      }),
      required: ['interval', 'url'],
    },
    status: open({
      observedGeneration: int({ format: 'int64' }),
      conditions: conditions(),
      artifact: open({ path: str(), url: str(), revision: str(), digest: str(), lastUpdateTime: dateTime(), size: int({ format: 'int64' }), metadata: strMap() }),
      includedArtifacts: arr(open()),
      lastHandledReconcileAt: str(),
      observedIgnore: str(),
      observedRecurseSubmodules: bool(),
      observedInclude: arr(open()),
      observedSparseCheckout: arr(str()),
      sourceVerificationMode: str(),
    }),
  },
});

const helmRelease = crd({
  group: 'helm.toolkit.fluxcd.io',
  kind: 'HelmRelease',
  plural: 'helmreleases',
  singular: 'helmrelease',
  shortNames: ['hr'],
  version: 'v2',
  columns: readyColumns,
  schema: {
    spec: {
      ...open({
        chart: {
          ...obj({
            metadata: commonMetadata(),
            spec: {
              ...open({
                chart: str({ maxLength: 2048, minLength: 1 }),
                version: str({ default: '*' }),
                sourceRef: {
                  ...obj({ apiVersion: str(), kind: str({ enum: ['HelmRepository', 'GitRepository', 'Bucket'] }), name: str(), namespace: str() }),
                  required: ['kind', 'name'],
                },
                interval: duration(),
                reconcileStrategy: str({ enum: ['ChartVersion', 'Revision'], default: 'ChartVersion' }),
                valuesFiles: arr(str()),
                ignoreMissingValuesFiles: bool(),
                verify: open(),
              }),
              required: ['chart', 'sourceRef'],
            },
          }),
          required: ['spec'],
        },
        chartRef: {
          ...obj({ apiVersion: str(), kind: str({ enum: ['OCIRepository', 'HelmChart', 'ExternalArtifact'] }), name: str(), namespace: str() }),
          required: ['kind', 'name'],
        },
        interval: duration(),
        kubeConfig: kubeConfigRef(),
        suspend: bool(),
        releaseName: str({ maxLength: 53, minLength: 1 }),
        targetNamespace: str({ maxLength: 63, minLength: 1 }),
        storageNamespace: str({ maxLength: 63, minLength: 1 }),
        dependsOn: dependsOn(),
        timeout: duration(),
        maxHistory: int(),
        serviceAccountName: str(),
        persistentClient: bool(),
        driftDetection: open({ mode: str({ enum: ['enabled', 'warn', 'disabled'] }), ignore: arr(open()) }),
        install: open(),
        upgrade: open(),
        test: open(),
        rollback: open(),
        uninstall: open(),
        valuesFrom: arr({
          ...obj({ kind: str({ enum: ['Secret', 'ConfigMap'] }), name: str(), valuesKey: str(), targetPath: str(), optional: bool() }),
          required: ['kind', 'name'],
        }),
        values: open(),
        postRenderers: arr(open()),
        commonMetadata: commonMetadata(),
      }),
      required: ['interval'],
    },
    status: open({
      observedGeneration: int({ format: 'int64' }),
      conditions: conditions(),
      helmChart: str(),
      storageNamespace: str(),
      history: arr(open({ name: str(), namespace: str(), version: int(), status: str(), chartName: str(), chartVersion: str(), appVersion: str(), configDigest: str(), digest: str() })),
      failures: int({ format: 'int64' }),
      installFailures: int({ format: 'int64' }),
      upgradeFailures: int({ format: 'int64' }),
      lastAttemptedGeneration: int({ format: 'int64' }),
      lastAttemptedConfigDigest: str(),
      lastAttemptedReleaseAction: str(),
      lastAttemptedRevision: str(),
      lastAttemptedRevisionDigest: str(),
      lastAttemptedValuesChecksum: str(),
      lastHandledReconcileAt: str(),
      lastHandledForceAt: str(),
      lastHandledResetAt: str(),
      observedPostRenderersDigest: str(),
      action: str(),
    }),
  },
});

/** All CRDs, in install order. */
export const CRDS = [application, appProject, kustomization, gitRepository, helmRelease];

/** group/version/plural of each, for tests and readiness checks. */
export const CRD_RESOURCES = CRDS.map((c) => ({
  name: c.metadata.name,
  group: c.spec.group,
  version: c.spec.versions[0].name,
  kind: c.spec.names.kind,
  plural: c.spec.names.plural,
}));
