// gitopsLens.schema.crdLocations: CRDs read from files, folders (absolute, or relative to each
// workspace folder) and http(s) URLs, registered as schemas. Files the scan also indexes take
// their CRDs from here while they are named by the setting.

import path from 'node:path';
import { parseYamlFile } from '../engine/index';
import { crdsOf, type SchemaRegistry } from '../schema/index';
import type { WorkspaceIO } from './io';
import { scanFolder } from './scan';

export class CrdLocations {
  /** Registry keys (files, URLs) read for the setting, to drop them when it changes. */
  private keys = new Set<string>();

  constructor(private readonly io: WorkspaceIO, private readonly schemas: SchemaRegistry) {}

  has(key: string): boolean { return this.keys.has(key); }
  get size(): number { return this.keys.size; }

  /**
   * Reads `locations` (relative ones in each of `folders`); `released` is told each key the setting
   * no longer names, so the file's own CRDs are registered again. Resolves to the problems met.
   */
  async load(locations: string[], folders: string[], released: (key: string) => void): Promise<string[]> {
    const previous = [...this.keys];
    this.keys.clear();
    for (const k of previous) { this.schemas.setCrds(k, []); released(k); }
    const problems: string[] = [];
    const add = (key: string, text: string) => {
      try {
        const crds = parseYamlFile(key, text).documents.flatMap((d) => crdsOf(d.value, key));
        this.schemas.setCrds(key, crds);
        this.keys.add(key);
        if (!crds.length) problems.push(`${key}: no CustomResourceDefinition with a schema`);
      } catch (e) { problems.push(`${key}: ${(e as Error).message}`); }
    };
    for (const loc of locations) {
      if (/^https?:\/\//i.test(loc)) {
        try {
          const res = await this.io.fetchText(loc);
          if (res.status < 200 || res.status > 299) problems.push(`${loc}: HTTP ${res.status}`);
          else add(loc, res.text);
        } catch (e) { problems.push(`${loc}: ${(e as Error).message}`); }
        continue;
      }
      const candidates = path.isAbsolute(loc) ? [loc] : folders.map((f) => path.resolve(f, loc));
      let found = false;
      for (const c of candidates) {
        const kind = this.io.files.stat(c);
        if (!kind) continue;
        found = true;
        for (const f of kind === 'directory' ? scanFolder(this.io.files, c).yamlFiles : [c]) {
          try { add(f, this.io.files.readFile(f)); } catch (e) { problems.push(`${f}: ${(e as Error).message}`); }
        }
      }
      if (!found) problems.push(`${loc}: no such file or folder${path.isAbsolute(loc) ? '' : ' in any workspace folder'}`);
    }
    return problems;
  }
}
