// `commonAnnotations:` (kustomize v5.5 AnnotationsTransformer with api/filters/annotations): each
// key, in sorted order, is set as a string in the annotation maps the field specs reach
// (`config.commonAnnotations`: metadata annotations and pod template annotations, created when
// missing). Values must be strings, as for labels (checkStringMap in ./labels).

import type { Resource } from '../resource';
import { setMapEntries, type MapEntryOptions } from './labels';

export function applyAnnotations(resources: Resource[], annotations: Readonly<Record<string, string>>, opts: MapEntryOptions): void {
  setMapEntries(resources, annotations, { ...opts, by: opts.by ?? 'commonAnnotations' });
}
