// Content hashes for generated names, computed as kustomize does (api/hasher): SHA-256 of a
// Go-style JSON encoding, the first ten hex digits with 0,1,3,a,e swapped for g,h,k,m,t.
// SHA-256 is written here because the engine may not use node:crypto (it runs in browsers too)
// and Web Crypto is asynchronous.

import { isObject, type JsonObject, type JsonValue } from './resource';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const W = new Uint32Array(64);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function sha256Hex(data: Uint8Array): string {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const bitLen = data.length * 8;
  const p = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
  p.set(data);
  p[data.length] = 0x80;
  const n = p.length;
  const hi = Math.floor(bitLen / 0x100000000), lo = bitLen >>> 0;
  p[n - 8] = hi >>> 24; p[n - 7] = hi >>> 16; p[n - 6] = hi >>> 8; p[n - 5] = hi;
  p[n - 4] = lo >>> 24; p[n - 3] = lo >>> 16; p[n - 2] = lo >>> 8; p[n - 1] = lo;
  const w = W;
  for (let off = 0; off < n; off += 64) {
    for (let i = 0, j = off; i < 16; i++, j += 4) w[i] = ((p[j]! << 24) | (p[j + 1]! << 16) | (p[j + 2]! << 8) | p[j + 3]!) >>> 0;
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!, b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i]! + w[i]!) >>> 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0]! + a) >>> 0; h[1] = (h[1]! + b) >>> 0; h[2] = (h[2]! + c) >>> 0; h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0; h[5] = (h[5]! + f) >>> 0; h[6] = (h[6]! + g) >>> 0; h[7] = (h[7]! + hh) >>> 0;
  }
  let out = '';
  for (let i = 0; i < 8; i++) { const x = h[i]!; out += HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!; }
  return out;
}

const utf8 = new TextEncoder();

/** JSON as Go's encoding/json writes it: sorted map keys, HTML-safe escapes. */
function goJson(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => goJson(x)).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${goString(k)}:${goJson((v as JsonObject)[k])}`).join(',')}}`;
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function encode(hex: string): string {
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('');
}

function fieldOrEmpty(obj: JsonObject, key: string): JsonValue {
  const v = obj[key];
  return v === undefined || v === null ? '' : v;
}

/** The name suffix kustomize gives a generated object. */
export function contentHash(obj: JsonObject): string {
  // kustomize looks the name up as one field called "metadata/name", which never exists, so the
  // name it hashes is always empty; the hash covers the data alone.
  let encoded: string;
  if (obj.kind === 'ConfigMap') {
    const m: JsonObject = { kind: 'ConfigMap', name: '', data: fieldOrEmpty(obj, 'data') };
    if (isObject(obj.binaryData)) m.binaryData = obj.binaryData;
    encoded = goJson(m);
  } else if (obj.kind === 'Secret') {
    const m: JsonObject = { kind: 'Secret', type: fieldOrEmpty(obj, 'type'), name: '', data: fieldOrEmpty(obj, 'data') };
    if (isObject(obj.stringData)) m.stringData = obj.stringData;
    encoded = goJson(m);
  } else {
    encoded = goJson(obj);
  }
  return encode(sha256Hex(utf8.encode(encoded)));
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}

/** Base64 wrapped at 70 characters, as kustomize writes Secret data and binaryData. */
export function base64Wrapped(bytes: Uint8Array): string {
  const s = base64(bytes);
  if (s.length <= 70) return s.length === 70 ? s + '\n' : s;
  let out = '';
  for (let i = 0; i < s.length; i += 70) out += s.slice(i, i + 70) + '\n';
  return out;
}
