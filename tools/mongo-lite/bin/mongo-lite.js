#!/usr/bin/env node
// Runs the TypeScript sources through tsx (a root devDependency); no build step.
require('tsx/cjs');
require('../src/cli.ts');
