// The objects of the repository that rendering as an agent needs (the ConfigMaps and Secrets values
// and substitutions come from, HelmRepositories, Flux Kustomizations): those of the file being
// rendered first, then every YAML file of the repository, read once when first asked.

import fs from 'node:fs';
import { isObject, type JsonObject, type JsonValue, parseYamlFile } from '../engine/index';
import { DiskHost } from '../workspace/disk-host';
import { scanFolder } from '../workspace/scan';

export class RepositoryObjects {
  private read?: JsonObject[];

  constructor(private readonly repoRoot: string, private readonly own: JsonValue[], private readonly kinds: string[]) {}

  /** The file's own objects and the repository's, of the kinds asked for. */
  all(): JsonObject[] {
    if (this.read) return this.read;
    const pick = (v: JsonValue): v is JsonObject => isObject(v) && this.kinds.includes(String(v.kind));
    const out = this.own.filter(pick);
    const mentions = new RegExp(`kind:\\s*(${this.kinds.join('|')})\\b`);
    for (const f of scanFolder(new DiskHost(), this.repoRoot).yamlFiles) {
      let text: string;
      try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
      if (!mentions.test(text)) continue;
      try { for (const d of parseYamlFile(f, text).documents) if (pick(d.value)) out.push(d.value); } catch { /* not YAML */ }
    }
    return (this.read = out);
  }

  /** The first object of a kind and name in a namespace (one that names no namespace is in any). */
  find(kind: string, namespace: string, name: string): JsonObject | undefined {
    return this.all().find((o) => o.kind === kind && isObject(o.metadata) && o.metadata.name === name && String(o.metadata.namespace ?? namespace) === namespace);
  }
}
