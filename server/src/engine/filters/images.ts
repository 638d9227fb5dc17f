// `images:` (kustomize v5.5 ImageTagTransformer with api/filters/imagetag and
// api/internal/image). One call per `images:` entry.
//
// Matching: an image string matches entry `name` when it is the name followed by an optional
// `:tag` and an optional `@sha256:digest` (tag and digest made of letters, digits and `_.{}-`).
// kustomize builds a regular expression from `name` without escaping it, so a `.` in the name
// matches any character; this module does the same.
//
// Rewriting: the image is split into name, tag and digest (a `:` before the first `/` is a
// registry port, not a tag); then newName replaces the name, and
//   newTag + digest → both; newTag → tag, no digest; digest → digest, no tag;
//   otherwise tagSuffix → tag + suffix, no digest.
//
// Where: kustomize runs two passes, both skipping CustomResourceDefinitions:
//  1. every list under a key `containers` or `initContainers`, anywhere in the object, whose items
//     have an `image`;
//  2. the images field specs (`config.images`), which never create a field.
// A Deployment's containers are reached by both passes, so an update that still matches after
// the first pass (no newName, e.g. tagSuffix) is applied twice, as kustomize v5.5 does.

import { isObject, KustomizeError, type JsonValue, type Resource, type SourceRef } from '../resource';
import type { FieldSpec } from '../k8s/transformer-config';
import { joinFieldPath, notScalarMessage, walkFieldSpecs } from './fieldspec';
import { compileGoRegexp, type GoRegexp } from '../goregexp';

export interface ImageOverride {
  /** Missing means "" (which matches only images that are just a tag/digest), as in kustomize. */
  name?: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export interface ImageOptions {
  /** Usually `config.images` of the transformer config. */
  fieldSpecs: readonly FieldSpec[];
  source: SourceRef;
  /** Recorded as FieldChange.by; 'images' unless given. */
  by?: string;
}

const TAG_CHARS = '[a-zA-Z0-9_.{}-]*';

/** True when `image` is `name`, optionally followed by `:tag` and `@sha256:digest` (name used as a pattern). */
export function isImageMatched(image: string, name: string): boolean {
  let re: GoRegexp;
  try {
    re = compileGoRegexp(`^${name}(:${TAG_CHARS})?(@sha256:${TAG_CHARS})?$`);
  } catch {
    throw new KustomizeError(`invalid image name "${name}" in images: it is not a valid regular expression`);
  }
  return re.test(image);
}

/** Splits an image reference into name, tag and digest (a port in the registry host is part of the name). */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const from = slash > 0 ? slash : 0;
  const rest = image.slice(from);
  let at = rest.indexOf('@');
  let colon = rest.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    at += from;
    return { name: image.slice(0, at), tag: '', digest: image.slice(at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    at += from;
    colon += from;
    return { name: image.slice(0, colon), tag: image.slice(colon + 1, at), digest: image.slice(at + 1) };
  }
  colon += from;
  return { name: image.slice(0, colon), tag: image.slice(colon + 1), digest: '' };
}

/** The rewritten image, or undefined when `image` does not match the override's name. */
function updateImage(image: string, o: ImageOverride): string | undefined {
  if (!isImageMatched(image, o.name ?? '')) return undefined;
  let { name, tag, digest } = splitImage(image);
  if (o.newName) name = o.newName;
  if (o.newTag && o.digest) {
    tag = o.newTag;
    digest = o.digest;
  } else if (o.newTag) {
    tag = o.newTag;
    digest = '';
  } else if (o.digest) {
    tag = '';
    digest = o.digest;
  } else if (o.tagSuffix) {
    tag += o.tagSuffix;
    digest = '';
  }
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

export function applyImage(resources: Resource[], image: ImageOverride, opts: ImageOptions): void {
  const by = opts.by ?? 'images';
  for (const res of resources) {
    if (res.kind === 'CustomResourceDefinition') continue;
    /** Returns the new value of an image field, or undefined to leave it. */
    const rewrite = (value: JsonValue | undefined, path: string): string | undefined => {
      if (value === null || value === undefined) return undefined;
      if (typeof value === 'object') {
        throw new KustomizeError(`image at ${path} of ${res.kind} ${res.name}: ${notScalarMessage(value)}`, opts.source);
      }
      const next = updateImage(String(value), image);
      if (next !== undefined) {
        res.recordChange(path, { by, source: opts.source, value: next });
        res.untagged.add(path);
      }
      return next;
    };

    // Pass 1: containers / initContainers lists anywhere (children before the list itself).
    // Paths are only spelled out for the image fields found (the walk itself allocates none).
    const walk = (node: JsonValue, path: () => (string | number)[]): void => {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const x = node[i]!;
          if (typeof x === 'object' && x !== null) walk(x, () => [...path(), i]);
        }
        return;
      }
      if (!isObject(node)) return;
      for (const key of Object.keys(node)) {
        const child = node[key] as JsonValue;
        if (typeof child === 'object' && child !== null) walk(child, () => [...path(), key]);
        if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
          child.forEach((c, i) => {
            if (!isObject(c) || !('image' in c)) return;
            const next = rewrite(c.image, joinFieldPath([...path(), key, i, 'image']));
            if (next !== undefined) c.image = next;
          });
        }
      }
    };
    walk(res.obj, () => []);

    // Pass 2: the images field specs.
    walkFieldSpecs(res, opts.fieldSpecs, (hit) => rewrite(hit.value, hit.path));
  }
}
