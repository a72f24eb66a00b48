// Installs the npm dependencies when node_modules is missing or older than the lock file.
// Plain JavaScript: it runs before any dependency exists.
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');

function ensureDeps() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
  const marker = join(root, 'node_modules', '.social-pulse-lock-hash');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  console.log('› installing npm dependencies (npm ci)…');
  const started = Date.now();
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  writeFileSync(marker, hash);
  console.log(`✓ npm dependencies installed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

module.exports = { ensureDeps, root };
