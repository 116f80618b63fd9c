#!/usr/bin/env -S node --import tsx
// fiat: the engine's command line (tokenize, train, generate, score, artifacts, bench) over the same core as the
// studio. Run with `npm run fiat -- <command> ...` or `npx tsx cli/fiat.ts <command> ...`.
import { main } from './main.ts';

// Exit explicitly: the WebGPU shim and ORT's thread pools would otherwise keep Node alive.
process.exit(await main(process.argv.slice(2)));
