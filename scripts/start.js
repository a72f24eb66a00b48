// `npm start`: install npm dependencies if needed, then `pulse up --demo` in the foreground.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { ensureDeps, root } = require('./ensure-deps');

ensureDeps();
const child = spawn(process.execPath, [join(root, 'bin', 'pulse.js'), 'up', '--demo', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// Ctrl-C reaches pulse through the terminal's process group; wait for its clean stop.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
