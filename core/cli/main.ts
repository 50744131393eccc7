// The headless CLI (`ashby-sync`, also `npm run cli -- ...`): the same services, engine and data
// folder as the desktop app, for scheduled runs and scripting. Run it with `npx tsx core/cli/main.ts`.
import { main } from './program.js';

const exitCode = await main(process.argv, process.env);
process.exitCode = exitCode;
// Leftover timers (an HTTP keep-alive socket, the engine's stop timeout) must not hold a finished
// command open, so the process exits once stdout and stderr have flushed.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(exitCode);
