// Takes a code-server process group down when the test process that started it is gone, even when
// that process was killed (SIGKILL skips its exit hooks). Started detached by harness.mjs.
//
//   node watchdog.mjs <pid of the test process> <process group of code-server>
const [watch, group] = process.argv.slice(2).map(Number);

const alive = (pid) => {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
};

for (;;) {
  await new Promise((r) => setTimeout(r, 500));
  if (!alive(group)) process.exit(0); // stopped normally
  if (alive(watch)) continue;
  try { process.kill(-group, 'SIGTERM'); } catch { /* gone */ }
  await new Promise((r) => setTimeout(r, 5000));
  try { process.kill(-group, 'SIGKILL'); } catch { /* gone */ }
  process.exit(0);
}
