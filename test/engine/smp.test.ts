// Strategic-merge patches: expected results were produced by running `kubectl kustomize` (kustomize
// v5.5.0) on each target + patch (and custom openapi file) with a `patches: - path:` entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMerge } from '../../server/src/engine/filters/smp';
import { OpenApiSchemas, schemaForKind, crdFieldSpecs } from '../../server/src/engine/k8s/openapi';
import { deepClone, KustomizeError, type JsonObject, type JsonValue } from '../../server/src/engine/resource';

interface Case {
  name: string;
  target: JsonObject;
  patch: JsonObject;
  openapi?: JsonObject;
  expected?: JsonValue;
  error?: string;
}

const MAIN: Case[] = [
  {
    name: 'containers merged by name, patch items first',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'image': 'a'}, {'name': 'b', 'image': 'b'}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'c', 'image': 'c'}, {'name': 'b', 'image': 'b2'}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'image': 'c', 'name': 'c'}, {'image': 'b2', 'name': 'b'}, {'image': 'a', 'name': 'a'}]}}}},
  },
  {
    name: 'env merged by name',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'env': [{'name': 'X', 'value': '1'}, {'name': 'Y', 'value': '2'}]}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'env': [{'name': 'Y', 'valueFrom': {'secretKeyRef': {'name': 's', 'key': 'k'}}}, {'name': 'Z', 'value': '3'}]}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'env': [{'name': 'Y', 'value': '2', 'valueFrom': {'secretKeyRef': {'key': 'k', 'name': 's'}}}, {'name': 'Z', 'value': '3'}, {'name': 'X', 'value': '1'}], 'name': 'a'}]}}}},
  },
  {
    name: 'ports merged by containerPort',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80, 'name': 'http'}, {'containerPort': 443}]}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 443, 'name': 'https'}, {'containerPort': 9090, 'name': 'metrics'}]}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 443, 'name': 'https'}, {'containerPort': 9090, 'name': 'metrics'}, {'containerPort': 80, 'name': 'http'}]}]}}}},
  },
  {
    name: 'volumes merged by name without retainKeys',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'volumes': [{'name': 'v1', 'emptyDir': {}}, {'name': 'v2', 'configMap': {'name': 'cm'}}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'volumes': [{'name': 'v2', 'secret': {'secretName': 's'}}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'volumes': [{'configMap': {'name': 'cm'}, 'name': 'v2', 'secret': {'secretName': 's'}}, {'emptyDir': {}, 'name': 'v1'}]}}}},
  },
  {
    name: 'volumeMounts by mountPath',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'volumeMounts': [{'name': 'x', 'mountPath': '/a'}, {'name': 'y', 'mountPath': '/b'}]}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'volumeMounts': [{'name': 'z', 'mountPath': '/a', 'readOnly': true}]}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'volumeMounts': [{'mountPath': '/a', 'name': 'z', 'readOnly': true}, {'mountPath': '/b', 'name': 'y'}]}]}}}},
  },
  {
    name: 'delete a list item',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'image': 'a'}, {'name': 'sidecar', 'image': 's'}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'sidecar', '$patch': 'delete'}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'image': 'a', 'name': 'a'}]}}}},
  },
  {
    name: 'replace a map',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'resources': {'limits': {'cpu': '1', 'memory': '1Gi'}, 'requests': {'cpu': '100m'}}}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'resources': {'$patch': 'replace', 'limits': {'cpu': '2'}}}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'resources': {'limits': {'cpu': '2'}}}]}}}},
  },
  {
    name: 'replace a merged list',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'env': [{'name': 'X', 'value': '1'}, {'name': 'Y', 'value': '2'}]}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'env': [{'$patch': 'replace'}, {'name': 'Z', 'value': '3'}]}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'env': [{'name': 'Z', 'value': '3'}], 'name': 'a'}]}}}},
  },
  {
    name: 'explicit merge directive is removed',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'$patch': 'merge', 'b': '2'}},
    expected: {'apiVersion': 'v1', 'data': {'a': '1', 'b': '2'}, 'kind': 'ConfigMap', 'metadata': {'name': 'c'}},
  },
  {
    name: 'nulls delete fields',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c', 'labels': {'app': 'x', 'tier': 'y'}}, 'data': {'a': '1', 'b': '2'}},
    patch: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c', 'labels': {'tier': null}}, 'data': {'b': null, 'c': '3'}},
    expected: {'apiVersion': 'v1', 'data': {'a': '1', 'c': '3'}, 'kind': 'ConfigMap', 'metadata': {'labels': {'app': 'x'}, 'name': 'c'}},
  },
  {
    name: 'retainKeys strategy is not applied',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'strategy': {'type': 'RollingUpdate', 'rollingUpdate': {'maxSurge': 1}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'strategy': {'type': 'Recreate'}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'strategy': {'rollingUpdate': {'maxSurge': 1}, 'type': 'Recreate'}}},
  },
  {
    name: '$retainKeys is copied as a field',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'strategy': {'type': 'RollingUpdate', 'rollingUpdate': {'maxSurge': 1}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'strategy': {'$retainKeys': ['type'], 'type': 'Recreate'}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'strategy': {'$retainKeys': ['type'], 'rollingUpdate': {'maxSurge': 1}, 'type': 'Recreate'}}},
  },
  {
    name: '$setElementOrder is copied as a field',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a'}, {'name': 'b'}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'$setElementOrder/containers': [{'name': 'b'}, {'name': 'a'}], 'containers': [{'name': 'a', 'image': 'x'}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'$setElementOrder/containers': [{'name': 'b'}, {'name': 'a'}], 'containers': [{'image': 'x', 'name': 'a'}, {'name': 'b'}]}}}},
  },
  {
    name: '$deleteFromPrimitiveList is copied as a field',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'args': ['x', 'y']}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', '$deleteFromPrimitiveList/args': ['x']}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'$deleteFromPrimitiveList/args': ['x'], 'args': ['x', 'y'], 'name': 'a'}]}}}},
  },
  {
    name: 'primitive list without merge strategy is replaced',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'args': ['x', 'y'], 'command': ['sh']}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'args': ['z']}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'args': ['z'], 'command': ['sh'], 'name': 'a'}]}}}},
  },
  {
    name: 'list of maps without merge key is replaced',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'tolerations': [{'key': 'a', 'operator': 'Exists'}], 'containers': [{'name': 'a'}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'tolerations': [{'key': 'b', 'operator': 'Exists'}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a'}], 'tolerations': [{'key': 'b', 'operator': 'Exists'}]}}}},
  },
  {
    name: 'imagePullSecrets merged by name',
    target: {'apiVersion': 'v1', 'kind': 'ServiceAccount', 'metadata': {'name': 'sa'}, 'imagePullSecrets': [{'name': 'a'}], 'secrets': [{'name': 's1'}]},
    patch: {'apiVersion': 'v1', 'kind': 'ServiceAccount', 'metadata': {'name': 'sa'}, 'imagePullSecrets': [{'name': 'b'}], 'secrets': [{'name': 's2'}]},
    expected: {'apiVersion': 'v1', 'imagePullSecrets': [{'name': 'b'}], 'kind': 'ServiceAccount', 'metadata': {'name': 'sa'}, 'secrets': [{'name': 's2'}, {'name': 's1'}]},
  },
  {
    name: 'service ports are replaced',
    target: {'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 's'}, 'spec': {'ports': [{'port': 80, 'name': 'http'}, {'port': 443, 'name': 'https'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 's'}, 'spec': {'ports': [{'port': 8080, 'name': 'http'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': 's'}, 'spec': {'ports': [{'name': 'http', 'port': 8080}, {'name': 'http', 'port': 80}, {'name': 'https', 'port': 443}]}},
  },
  {
    name: 'crd list with names is replaced',
    target: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'parts': [{'name': 'a', 'size': 1}, {'name': 'b', 'size': 2}], 'tags': ['x', 'y']}},
    patch: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'parts': [{'name': 'a', 'size': 3}], 'tags': ['z'], 'extra': {'k': 'v'}}},
    expected: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'extra': {'k': 'v'}, 'parts': [{'name': 'a', 'size': 3}], 'tags': ['z']}},
  },
  {
    name: 'custom openapi merge key for a CRD',
    target: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'parts': [{'id': 'a', 'size': 1}, {'id': 'b', 'size': 2}], 'tags': ['x', 'y']}},
    patch: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'parts': [{'id': 'b', 'size': 3}, {'id': 'c'}], 'tags': ['z', 'x']}},
    openapi: {'definitions': {'com.example.v1.Widget': {'type': 'object', 'x-kubernetes-group-version-kind': [{'group': 'example.com', 'version': 'v1', 'kind': 'Widget'}], 'properties': {'spec': {'$ref': '#/definitions/com.example.v1.WidgetSpec'}}}, 'com.example.v1.WidgetSpec': {'type': 'object', 'properties': {'parts': {'type': 'array', 'items': {'$ref': '#/definitions/com.example.v1.Part'}, 'x-kubernetes-patch-merge-key': 'id', 'x-kubernetes-patch-strategy': 'merge'}, 'tags': {'type': 'array', 'items': {'type': 'string'}, 'x-kubernetes-patch-strategy': 'merge'}}}, 'com.example.v1.Part': {'type': 'object', 'properties': {'id': {'type': 'string'}, 'size': {'type': 'integer'}}}}},
    expected: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'parts': [{'id': 'b', 'size': 3}, {'id': 'c'}, {'id': 'a', 'size': 1}], 'tags': ['z', 'x', 'y']}},
  },
  {
    name: 'custom openapi replaces the built-in schema',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'a', 'image': 'a'}]}}}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'name': 'b', 'image': 'b'}]}}}},
    openapi: {'definitions': {'com.example.v1.Widget': {'type': 'object', 'x-kubernetes-group-version-kind': [{'group': 'example.com', 'version': 'v1', 'kind': 'Widget'}], 'properties': {'spec': {'type': 'object'}}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'template': {'spec': {'containers': [{'image': 'b', 'name': 'b'}]}}}},
  },
  {
    name: 'custom openapi list-map-keys',
    target: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'routes': [{'host': 'a', 'path': '/', 'to': 'x'}, {'host': 'a', 'path': '/api', 'to': 'y'}]}},
    patch: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'routes': [{'host': 'a', 'path': '/api', 'to': 'z'}, {'host': 'b', 'path': '/', 'to': 'w'}]}},
    openapi: {'definitions': {'com.example.v1.Widget': {'type': 'object', 'x-kubernetes-group-version-kind': [{'group': 'example.com', 'version': 'v1', 'kind': 'Widget'}], 'properties': {'spec': {'type': 'object', 'properties': {'routes': {'type': 'array', 'items': {'type': 'object'}, 'x-kubernetes-list-map-keys': ['host', 'path'], 'x-kubernetes-patch-merge-key': 'host', 'x-kubernetes-patch-strategy': 'merge'}}}}}}},
    expected: {'apiVersion': 'example.com/v1', 'kind': 'Widget', 'metadata': {'name': 'w'}, 'spec': {'routes': [{'host': 'b', 'path': '/', 'to': 'w'}, {'host': 'a', 'path': '/', 'to': 'x'}, {'host': 'a', 'path': '/api', 'to': 'z'}]}},
  },
  {
    name: 'delete the whole object',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, '$patch': 'delete'},
    expected: null,
  },
  {
    name: 'new field added from patch',
    target: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd'}, 'spec': {'replicas': 1}},
    patch: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'name': 'd', 'annotations': {'a': 'b'}}, 'spec': {'replicas': 3, 'template': {'spec': {'containers': [{'name': 'a', 'image': 'a'}]}}}},
    expected: {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'metadata': {'annotations': {'a': 'b'}, 'name': 'd'}, 'spec': {'replicas': 3, 'template': {'spec': {'containers': [{'image': 'a', 'name': 'a'}]}}}},
  },
  {
    name: 'patch list of keyed items into missing list keeps directive items',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'volumes': [{'$patch': 'replace'}, {'name': 'v'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}], 'volumes': [{'$patch': 'replace'}]}},
  },
  {
    name: 'scalar replaced by map is an error',
    target: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': '1'}},
    patch: {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}, 'data': {'a': {'b': 'c'}}},
    error: 'wrong node kind: expected ScalarNode but got MappingNode: node contents:\nb: c\n',
  },
];

const QUIRKS: Case[] = [
  {
    name: 'nameless-container',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'image': 'a'}, {'image': 'noname'}, {'name': 'b', 'image': 'b'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'image': 'a2'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'image': 'noname'}]}},
  },
  {
    name: 'untouched-dup-env',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'env': [{'name': 'X', 'value': '1'}, {'name': 'X', 'value': '2'}]}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p', 'labels': {'a': 'b'}}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'labels': {'a': 'b'}, 'name': 'p'}, 'spec': {'containers': [{'env': [{'name': 'X', 'value': '2'}], 'name': 'a'}]}},
  },
  {
    name: 'elem-replace',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'image': 'a', 'args': ['x']}, {'name': 'b', 'image': 'b'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'image': 'a2', '$patch': 'replace'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'args': ['x'], 'image': 'a', 'name': 'a'}, {'image': 'b', 'name': 'b'}]}},
  },
  {
    name: 'list-replace',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'image': 'a', 'args': ['x']}, {'name': 'b', 'image': 'b'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'c', 'image': 'c2'}, {'$patch': 'replace'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'image': 'c2', 'name': 'c'}]}},
  },
  {
    name: 'list-delete',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'image': 'a'}], 'volumes': [{'name': 'v'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'volumes': [{'$patch': 'delete'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'image': 'a', 'name': 'a'}]}},
  },
  {
    name: 'elem-delete-all',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'image': 'a'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', '$patch': 'delete'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': []}},
  },
  {
    name: 'ports-partial-protocol',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80}, {'containerPort': 90, 'protocol': 'TCP'}]}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80, 'protocol': 'UDP'}]}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80}, {'containerPort': 90, 'protocol': 'TCP'}]}]}},
  },
  {
    name: 'ports-order',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80, 'name': 'h'}, {'containerPort': 90, 'name': 'm'}]}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 100}, {'containerPort': 90, 'name': 'm2'}]}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 100}, {'containerPort': 90, 'name': 'm2'}, {'containerPort': 80, 'name': 'h'}]}]}},
  },
  {
    name: 'ports-order-proto',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80, 'protocol': 'TCP'}, {'containerPort': 90, 'protocol': 'TCP'}]}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 100, 'protocol': 'TCP'}, {'containerPort': 90, 'protocol': 'TCP', 'name': 'x'}]}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 100, 'protocol': 'TCP'}, {'containerPort': 80, 'protocol': 'TCP'}, {'containerPort': 90, 'name': 'x', 'protocol': 'TCP'}]}]}},
  },
  {
    name: 'null-fields',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p', 'labels': {'a': '1', 'b': '2'}, 'annotations': {'x': 'y'}}, 'spec': {'hostname': 'h', 'nodeSelector': null}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p', 'labels': {'a': null, 'c': null}, 'annotations': null}, 'spec': {'hostname': null, 'subdomain': {'x': null, 'y': 1}}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'labels': {'b': '2'}, 'name': 'p'}, 'spec': {'nodeSelector': null, 'subdomain': {'y': 1}}},
  },
  {
    name: 'new-subtree-directives',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'affinity': {'$patch': 'replace', 'nodeAffinity': {'a': null}}, 'containers': [{'name': 'a', '$patch': 'delete'}, {'name': 'b'}], 'volumes': [{'$patch': 'replace'}, {'name': 'v'}], 'tolerations': [{'key': 'k', 'x': null}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'affinity': {'nodeAffinity': {}}, 'containers': [{'name': 'b'}], 'tolerations': [{'key': 'k', 'x': null}], 'volumes': [{'name': 'v'}]}},
  },
  {
    name: 'primitive-merge-list',
    target: {'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': 'n', 'finalizers': ['a', 'b']}, 'spec': {'podCIDRs': ['x', 'y']}},
    patch: {'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'name': 'n', 'finalizers': ['c']}, 'spec': {'podCIDRs': ['z', 'x']}},
    expected: {'apiVersion': 'v1', 'kind': 'Node', 'metadata': {'finalizers': ['c', 'a', 'b'], 'name': 'n'}, 'spec': {'podCIDRs': ['z', 'x', 'y']}},
  },
  {
    name: 'empty-list-after-delete',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}], 'volumes': [{'name': 'v'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'volumes': [{'name': 'v', '$patch': 'delete'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}], 'volumes': []}},
  },
  {
    name: 'object-delete',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, '$patch': 'delete'},
    expected: null,
  },
  {
    name: 'unknown-directive',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'$patch': 'foo'}},
    error: "unknown patch strategy 'foo'",
  },
  {
    name: 'unknown-list-directive',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'$patch': 'foo'}]}},
    error: "unknown patch strategy 'foo'",
  },
  {
    name: 'kind-mismatch',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': {'name': 'a'}}},
    error: 'wrong node kind: expected SequenceNode but got MappingNode: node contents:\nname: a\n',
  },
  {
    name: 'kind-mismatch2',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'hostname': 'x'}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'hostname': ['a']}},
    error: 'wrong node kind: expected ScalarNode but got SequenceNode: node contents:\n- a\n',
  },
  {
    name: 'crd-lists',
    target: {'apiVersion': 'ex.com/v1', 'kind': 'Foo', 'metadata': {'name': 'p'}, 'spec': {'items': [{'name': 'a', 'v': 1}, {'name': 'b'}], 'tags': ['x']}},
    patch: {'apiVersion': 'ex.com/v1', 'kind': 'Foo', 'metadata': {'name': 'p'}, 'spec': {'items': [{'name': 'a', 'v': 2}], 'tags': ['y']}},
    expected: {'apiVersion': 'ex.com/v1', 'kind': 'Foo', 'metadata': {'name': 'p'}, 'spec': {'items': [{'name': 'a', 'v': 2}], 'tags': ['y']}},
  },
  {
    name: 'embedded-kind',
    target: {'apiVersion': 'ex.com/v1', 'kind': 'Foo', 'metadata': {'name': 'p'}, 'spec': {'tmpl': {'apiVersion': 'v1', 'kind': 'Pod', 'spec': {'containers': [{'name': 'a', 'image': 'a'}]}}}},
    patch: {'apiVersion': 'ex.com/v1', 'kind': 'Foo', 'metadata': {'name': 'p'}, 'spec': {'tmpl': {'spec': {'containers': [{'name': 'b', 'image': 'b'}]}}}},
    expected: {'apiVersion': 'ex.com/v1', 'kind': 'Foo', 'metadata': {'name': 'p'}, 'spec': {'tmpl': {'apiVersion': 'v1', 'kind': 'Pod', 'spec': {'containers': [{'image': 'b', 'name': 'b'}, {'image': 'a', 'name': 'a'}]}}}},
  },
  {
    name: 'empty-map-elem',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a'}, {}], 'tolerations': [{}, {'key': 'a'}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'b'}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'b'}, {'name': 'a'}], 'tolerations': [{}, {'key': 'a'}]}},
  },
  {
    name: 'numeric-key-string',
    target: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': 80, 'name': 'x'}]}]}},
    patch: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': '80', 'hostPort': 1}]}]}},
    expected: {'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'p'}, 'spec': {'containers': [{'name': 'a', 'ports': [{'containerPort': '80', 'hostPort': 1, 'name': 'x'}]}]}},
  },
];

function run(c: Case): JsonObject | null {
  const schemas = c.openapi ? OpenApiSchemas.fromDocument(c.openapi) : undefined;
  const schema = schemaForKind(String(c.target.apiVersion), String(c.target.kind), schemas);
  return strategicMerge(c.target, c.patch, schema, { schemas });
}

for (const [group, cases] of [['smp', MAIN], ['smp quirk', QUIRKS]] as const) {
  for (const c of cases) {
    test(`${group}: ${c.name}`, () => {
      const target = deepClone(c.target);
      const patch = deepClone(c.patch);
      if (c.error !== undefined) {
        assert.throws(() => run(c), (e: unknown) => e instanceof KustomizeError && e.message === c.error);
        return;
      }
      assert.deepEqual(run(c), c.expected);
      assert.deepEqual(c.target, target, 'target is not modified');
      assert.deepEqual(c.patch, patch, 'patch is not modified');
    });
  }
}

test('smp: schema looked up from the target when none is given', () => {
  const target: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] } };
  const patch: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'b' }] } };
  assert.deepEqual(strategicMerge(target, patch, undefined), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'b' }, { name: 'a' }] } });
});

test('smp: inferAssociativeLists guesses a name key for lists without schema (off in kustomize build)', () => {
  const target: JsonObject = { apiVersion: 'x/v1', kind: 'X', spec: { items: [{ name: 'a', v: 1 }, { name: 'b' }] } };
  const patch: JsonObject = { apiVersion: 'x/v1', kind: 'X', spec: { items: [{ name: 'a', v: 2 }] } };
  assert.deepEqual(strategicMerge(target, patch, undefined, { inferAssociativeLists: true }),
    { apiVersion: 'x/v1', kind: 'X', spec: { items: [{ name: 'a', v: 2 }, { name: 'b' }] } });
  assert.deepEqual(strategicMerge(target, patch, undefined),
    { apiVersion: 'x/v1', kind: 'X', spec: { items: [{ name: 'a', v: 2 }] } });
});

test('openapi: built-in merge keys and strategies', () => {
  const pod = schemaForKind('apps/v1', 'Deployment')?.field('spec')?.field('template')?.field('spec');
  assert.ok(pod);
  const containers = pod.field('containers');
  assert.equal(containers?.mergeKey, 'name');
  assert.equal(containers?.strategy, 'merge');
  assert.deepEqual(containers?.patchKeys(), ['name']);
  const ports = containers?.items()?.field('ports');
  assert.deepEqual(ports?.patchKeys(), ['containerPort', 'protocol']);
  assert.equal(ports?.listType, 'map');
  assert.equal(pod.field('volumes')?.strategy, 'merge,retainKeys');
  assert.equal(pod.field('volumes')?.mergesList(), true);
  assert.equal(pod.field('tolerations')?.mergesList(), false);
  // A field that is a $ref resolves to the definition; extensions beside the $ref (DeploymentSpec.strategy's
  // retainKeys) are lost, as in kyaml.
  assert.equal(schemaForKind('apps/v1', 'Deployment')?.field('spec')?.field('strategy')?.strategy, undefined);
  assert.ok(schemaForKind('v1', 'ConfigMap')?.field('metadata')?.field('labels')?.field('anything'));
  assert.equal(schemaForKind('example.com/v1', 'Widget'), undefined);
  assert.equal(OpenApiSchemas.builtin().scope('v1', 'Namespace'), 'Cluster');
  assert.equal(OpenApiSchemas.builtin().scope('apps/v1', 'Deployment'), 'Namespaced');
});

test('openapi: a custom document replaces the built-in schema', () => {
  const custom = OpenApiSchemas.fromDocument({
    definitions: {
      W: { type: 'object', 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'W' }], properties: { spec: { $ref: '#/definitions/S' } } },
      S: { type: 'object', properties: { l: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'k', 'x-kubernetes-patch-strategy': 'merge' }, bad: { $ref: '#/definitions/Nope' } } },
    },
  });
  assert.deepEqual(schemaForKind('v1', 'W', custom)?.field('spec')?.field('l')?.patchKeys(), ['k']);
  assert.equal(schemaForKind('v1', 'W', custom)?.field('spec')?.field('bad'), undefined);
  assert.equal(schemaForKind('apps/v1', 'Deployment', custom), undefined);
  const yamlText = 'definitions:\n  W:\n    x-kubernetes-group-version-kind:\n    - {group: g.io, version: v2, kind: W}\n';
  const fromText = OpenApiSchemas.fromDocument(yamlText, (t) => ({ definitions: { W: { 'x-kubernetes-group-version-kind': [{ group: 'g.io', version: 'v2', kind: 'W' }] } }, _t: t }));
  assert.ok(schemaForKind('g.io/v2', 'W', fromText));
});

test('crds: field specs from x-kubernetes markers, not merge keys', () => {
  const specs = crdFieldSpecs({
    'example.com/v1.MyKind': {
      Schema: {
        properties: {
          apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
          spec: { $ref: 'example.com/v1.MySpec' },
        },
      },
    },
    'example.com/v1.MySpec': {
      Schema: {
        properties: {
          configName: { type: 'string', 'x-kubernetes-object-ref-api-version': 'v1', 'x-kubernetes-object-ref-kind': 'ConfigMap' },
          selector: { type: 'object', 'x-kubernetes-label-selector': '' },
          notes: { type: 'object', 'x-kubernetes-annotation': '' },
          ident: { type: 'string', 'x-kubernetes-identity': '' },
          items: { type: 'array', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
        },
      },
    },
  }, 'crd.json');
  assert.deepEqual(specs, {
    annotations: [{ gvk: { kind: 'MyKind' }, path: 'spec/notes', create: false }],
    commonLabels: [{ gvk: { kind: 'MyKind' }, path: 'spec/selector', create: false }],
    namePrefix: [{ gvk: { kind: 'MyKind' }, path: 'spec/ident', create: false }],
    nameReference: [{ gvk: { kind: 'ConfigMap', version: 'v1' }, referrers: [{ gvk: { kind: 'MyKind' }, path: 'spec/configName/name', create: false }] }],
  });
  assert.throws(() => crdFieldSpecs({ apiVersion: 'apiextensions.k8s.io/v1' }, 'crd.yaml'), /unable to parse open API definition from 'crd.yaml'/);
});
