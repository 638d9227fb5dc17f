#!/usr/bin/env node
// npm run test-cluster -- up|stop|start|down|status|build [--name NAME]
//
// up prints SERVER=, AUDIT_LOG= and, as its last line, KUBECONFIG= on stdout
// (progress goes to stderr), so `eval "$(npm run -s test-cluster -- up)"` works.
import { ensureBinaries } from './build.mjs';
import * as cluster from './cluster.mjs';

const usage = 'usage: test-cluster up|stop|start|down|status|build [--name NAME]';
const args = process.argv.slice(2);
const cmd = args[0];
let name = 'default';
const i = args.indexOf('--name');
if (i >= 0) name = args[i + 1];

const say = (m) => process.stderr.write(`${m}\n`);
function printEnv(info) {
  process.stdout.write(`SERVER=${info.server}\nAUDIT_LOG=${info.auditLog}\nKUBECONFIG=${info.kubeconfig}\n`);
}

try {
  switch (cmd) {
    case 'build': {
      const dir = await ensureBinaries();
      process.stdout.write(`BIN_DIR=${dir}\n`);
      break;
    }
    case 'up':
    case 'start': {
      const info = cmd === 'up' ? await cluster.up({ name }) : await cluster.start({ name });
      const v = info.versions;
      if (info.alreadyRunning) say(`test cluster "${name}" is already running (${info.dir})`);
      else say(`test cluster "${name}" ${info.created ? 'created' : 'started'} and ready in ${info.seconds.toFixed(1)} s: kubernetes ${v.kubernetes}, etcd ${v.etcd}, ${info.server}`);
      printEnv(info);
      break;
    }
    case 'stop': {
      const s = await cluster.stop({ name });
      say(s.exists === false ? `no test cluster "${name}"` : `test cluster "${name}" stopped; data kept in ${s.dir}`);
      break;
    }
    case 'down': {
      const s = await cluster.down({ name });
      say(s.removed ? `test cluster "${name}" stopped and removed` : `no test cluster "${name}"`);
      break;
    }
    case 'status': {
      const s = cluster.status({ name });
      process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      if (!s.running) process.exitCode = 3;
      break;
    }
    default:
      say(usage);
      process.exitCode = 2;
  }
} catch (e) {
  say(`test-cluster ${cmd}: ${e.message}`);
  process.exitCode = 1;
}
