// CLI entry: `npm run sandbox -- --port 0 --seed demo [--latency-ms N] [--rate-limit N]`.
// Prints one JSON line with the URL and the tenants' keys first, then runs until SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander';

import { startSandbox } from './index.js';

function wholeNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`expected a whole number of 0 or more, got "${value}"`);
  return parsed;
}

function seedName(value: string): 'demo' | 'empty' {
  if (value !== 'demo' && value !== 'empty') throw new InvalidArgumentError(`expected demo or empty, got "${value}"`);
  return value;
}

const program = new Command()
  .name('sandbox')
  .description('Local imitation of the Ashby API for tests and the demo; listens on 127.0.0.1.')
  .option('--port <port>', 'port to listen on (0 picks a free port)', wholeNumber, 0)
  .option('--seed <seed>', 'demo (three client organisations) or empty (one organisation, no candidates)', seedName, 'demo')
  .option('--latency-ms <ms>', 'delay added to every API call, in milliseconds', wholeNumber, 0)
  .option('--rate-limit <requests>', 'requests per minute allowed per API key (no limit when left out)', wholeNumber)
  .option('--fault-seed <seed>', 'seed for faults injected on a fraction of calls', wholeNumber, 1)
  .option('--state-file <path>', 'JSON file that keeps the records across restarts (starts from it when it exists)')
  .parse();

const options = program.opts<{
  port: number;
  seed: 'demo' | 'empty';
  latencyMs: number;
  rateLimit?: number;
  faultSeed: number;
  stateFile?: string;
}>();

const sandbox = await startSandbox({
  port: options.port,
  host: '127.0.0.1',
  seed: options.seed,
  latencyMs: options.latencyMs,
  faultSeed: options.faultSeed,
  ...(options.rateLimit !== undefined ? { rateLimitPerMinute: options.rateLimit } : {}),
  ...(options.stateFile !== undefined ? { stateFile: options.stateFile } : {}),
});
process.stdout.write(`${JSON.stringify({ url: sandbox.url, tenants: sandbox.tenants })}\n`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`sandbox: ${signal} received, stopping\n`);
  await sandbox.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
