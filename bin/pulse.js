#!/usr/bin/env node
// The pulse CLI runs from its TypeScript sources; SWC compiles them as they load, with the
// repo's tsconfig (decorator metadata on) wherever pulse is started from.
const { join } = require('node:path');
process.env.SWC_NODE_PROJECT ??= join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
require('../tools/pulse/src/cli.ts');
