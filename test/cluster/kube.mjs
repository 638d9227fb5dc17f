// A minimal Kubernetes REST client for the test cluster: plain https with the
// client certificates the cluster generated. It is deliberately tiny (no
// @kubernetes/client-node), so the harness tests the server, not a library.
import https from 'node:https';
import fs from 'node:fs';

/**
 * @typedef {{ server: string, ca: Buffer|string, cert: Buffer|string, key: Buffer|string }} Credentials
 * @typedef {{ status: number, headers: import('node:http').IncomingHttpHeaders, body: any, text: string }} KubeResponse
 */

/** Reads credentials from the files the cluster wrote (pki/<user>.crt|key). */
export function credentialsFromFiles({ server, caFile, certFile, keyFile }) {
  return {
    server,
    ca: fs.readFileSync(caFile),
    cert: fs.readFileSync(certFile),
    key: fs.readFileSync(keyFile),
  };
}

/**
 * One request. `body` may be an object (sent as JSON, or as the given
 * content type) or a string. Never throws on an HTTP status; throws on a
 * connection error (ECONNREFUSED etc.) or a timeout.
 * @param {Credentials} creds
 * @returns {Promise<KubeResponse>}
 */
export function request(creds, method, path, { body, contentType, timeoutMs = 15000, accept } = {}) {
  const url = new URL(path, creds.server);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers = { Accept: accept ?? 'application/json' };
  if (payload !== undefined) {
    headers['Content-Type'] = contentType ?? 'application/json';
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        ca: creds.ca,
        cert: creds.cert,
        key: creds.key,
        headers,
        agent: false,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          if ((res.headers['content-type'] ?? '').includes('json')) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Like request, but throws unless the status is 2xx (or in `ok`). */
export async function must(creds, method, path, opts = {}) {
  const res = await request(creds, method, path, opts);
  const ok = opts.ok ?? [];
  if ((res.status < 200 || res.status > 299) && !ok.includes(res.status)) {
    throw new Error(`${method} ${path} -> ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return res;
}

/** Server-side apply of one object (JSON is valid YAML for apply patches). */
export function serverSideApply(creds, path, obj, { fieldManager = 'gitops-lens-test', force = true, dryRun = false } = {}) {
  const q = new URLSearchParams({ fieldManager });
  if (force) q.set('force', 'true');
  if (dryRun) q.set('dryRun', 'All');
  return request(creds, 'PATCH', `${path}?${q}`, { body: obj, contentType: 'application/apply-patch+yaml' });
}

/**
 * The REST path of an object: apiVersion + plural + optional namespace/name.
 * `plural` must be given (no discovery here).
 */
export function objectPath(apiVersion, plural, { namespace, name } = {}) {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const n = name ? `/${encodeURIComponent(name)}` : '';
  return `${base}${ns}/${plural}${n}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function waitFor(what, fn, { timeoutMs = 30000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}
