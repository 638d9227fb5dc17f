// A cross-process lock: a directory created atomically, holding the owner's
// pid. A lock whose owner is dead is taken over. Used so that parallel test
// files (node --test runs each in its own process) build and start one
// cluster, not several.
import fs from 'node:fs';
import path from 'node:path';

export function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function tryAcquire(lockDir) {
  try {
    fs.mkdirSync(lockDir);
    fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
    return true;
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    let owner = 0;
    try {
      owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // The owner may be between mkdir and writing its pid: give it time.
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs < 5000) return false;
      } catch {
        return false;
      }
    }
    if (owner === process.pid) return false; // not re-entrant
    if (!pidAlive(owner)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      return tryAcquire(lockDir);
    }
    return false;
  }
}

/** Runs fn while holding the lock at lockDir. */
export async function withLock(lockDir, { timeoutMs = 10 * 60 * 1000 } = {}, fn) {
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(lockDir)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
