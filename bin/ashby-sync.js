#!/usr/bin/env node
// Installed entry point of the CLI: registers tsx's loader so the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';

register();
await import('../core/cli/main.ts');
