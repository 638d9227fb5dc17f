// The environment in which the suites install or build what they need (the nested npm that installs
// code-server, go builds of the cluster binaries and helm, code-server itself).
//
// `npm test` and `npm start` export their own configuration to every child: npm_config_* (among them
// npm_config_user_agent, which names the outer Node), npm_package_*, npm_lifecycle_*, INIT_CWD, NODE,
// and a node-gyp shim on PATH. A nested npm reads those as its own configuration, so an install that
// works from a plain shell behaves differently under `npm test`: code-server's postinstall read the
// outer `node/v20` user agent and refused to install. A tool started from here gets none of them, so it
// behaves the same however the suite was started (npm test, npm start, node scripts/test.mjs, a shell).
// test/e2e/setup.sh applies the same rule for its own nested npm (see isOuterNpmVariable there).

/** True for a variable an outer npm exported to its children. */
export function isOuterNpmVariable(name) {
  return /^npm_/i.test(name) || name === 'INIT_CWD' || name === 'NODE';
}

/** PATH without the node-gyp shim an outer npm's run-script puts first. */
export function cleanPath(value) {
  return (value ?? '').split(':').filter((d) => !/[\\/]@npmcli[\\/]run-script[\\/]lib[\\/]node-gyp-bin$/.test(d)).join(':');
}

/** process.env (or `base`) without the outer npm's variables, plus `extra`. */
export function toolEnv(extra = {}, base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !isOuterNpmVariable(k)) env[k] = v;
  if (env.PATH !== undefined) env.PATH = cleanPath(env.PATH);
  return { ...env, ...extra };
}
