// The watchdog the harness starts beside a cluster it started: it waits until
// the test run is over (the watched process, normally `node --test`, is gone
// and no test process holds a lease), then takes the cluster down (or, for a
// cluster made by `test-cluster up`, stops it again). So all the test files of
// one run share one cluster, and no run leaves one behind, even a killed run.
//
//   node reaper.mjs <cluster name> <pid to watch>
import fs from 'node:fs';
import path from 'node:path';
import * as cluster from './cluster.mjs';
import { pidAlive } from './lock.mjs';

const [name, watch] = process.argv.slice(2);
const watchPid = Number(watch);
const dir = cluster.clusterDir(name);
const leases = path.join(dir, 'leases');

function liveLeases() {
  let files;
  try {
    files = fs.readdirSync(leases);
  } catch {
    return 0;
  }
  return files.filter((f) => pidAlive(Number(f))).length;
}

for (;;) {
  await new Promise((r) => setTimeout(r, 300));
  if (!fs.existsSync(path.join(dir, 'state.json'))) process.exit(0); // downed by someone else
  if (pidAlive(watchPid) || liveLeases() > 0) continue;
  const s = cluster.status({ name });
  if (s.owner === 'harness') {
    await cluster.down({ name });
    process.stderr.write(`[reaper] test run ${watchPid} is over: cluster ${name} removed\n`);
  } else {
    await cluster.stop({ name });
    process.stderr.write(`[reaper] test run ${watchPid} is over: cluster ${name} stopped again\n`);
  }
  process.exit(0);
}
