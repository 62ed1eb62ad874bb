#!/usr/bin/env -S node --max-old-space-size=1024
// The `mcr` command. TypeScript runs through tsx, so users need no build step. The heap
// limit is the bot's (package.json `start`; README, Speed): V8 collects sooner below it.
import { register } from 'tsx/esm/api';

register();
const { loadDotEnv } = await import('../src/config.ts');
loadDotEnv();
const { cli } = await import('../src/cli/main.ts');
process.exitCode = await cli(process.argv.slice(2));
