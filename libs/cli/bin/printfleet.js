#!/usr/bin/env node
// Entry point of `npx printfleet`: runs the compiled CLI, or says how to build it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  process.stderr.write('printfleet is not built yet: run `npm run build` (or `npm start`) in the checkout first.\n');
  process.exit(1);
}
require(main);
