#!/usr/bin/env node
// The `mcr` command. TypeScript runs through tsx, so users need no build step.
import { register } from 'tsx/esm/api';

register();
const { loadDotEnv } = await import('../src/config.ts');
loadDotEnv();
const { cli } = await import('../src/cli/main.ts');
process.exitCode = await cli(process.argv.slice(2));
