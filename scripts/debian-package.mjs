// Installs a Debian package when what it provides is missing: `npm test` (Chromium, PyTorch,
// Fashion-MNIST) and `npm start` / `npm run build` (Fashion-MNIST, the default data set) on a
// fresh machine. As root directly, else through `sudo -n` (never asks for a password).
import { spawnSync } from 'node:child_process';

/** Runs a shell command with its output shown; true when it exited 0. */
export function sh(command, env = {}) {
  console.log(`\n$ ${command}`);
  const result = spawnSync(command, {
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

/**
 * Installs Debian's `name` unless `present()` already holds; true when it holds after. On
 * failure prints `hint` (what to do by hand) and returns false.
 */
export function ensureDebianPackage(name, present, hint) {
  if (present()) return true;
  console.log(`\n${name} is missing; installing Debian's ${name} package.`);
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? '' : 'sudo -n ';
  const ok = sh(
    `${sudo}apt-get update -qq && ${sudo}DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${name}`,
  );
  if (!ok || !present()) {
    console.error(`Could not install ${name}. ${hint}`);
    return false;
  }
  return true;
}
