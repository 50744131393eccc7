// Builds the CLI's command tree and runs it: parsing, the exit-code rules and the JSON error document.
import { Command } from 'commander';
import { APP_VERSION } from '../app/version.js';
import { registerClientCommands } from './commands/clients.js';
import { registerPipelineCommands } from './commands/pipeline.js';
import { registerQueueCommands } from './commands/queue.js';
import { classifyError, commandRunner } from './runner.js';

/** Builds the command tree; commands run against the data folder chosen by --data-dir. */
export function buildProgram(env: NodeJS.ProcessEnv): Command {
  const program = new Command()
    .name('ashby-sync')
    .description('Ashby Sync Console on the command line: import pipelines, link roles, push to Ashby and review the queue.')
    .version(APP_VERSION)
    .option('--data-dir <dir>', 'data folder (default: ASHBY_SYNC_DATA_DIR, else the desktop app\'s data folder)')
    .option('--json', 'print exactly one JSON document per command on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const run = commandRunner(env);
  registerClientCommands(program, run);
  registerPipelineCommands(program, run);
  registerQueueCommands(program, run);
  // Subcommands inherit exit-override, so a usage error anywhere ends in the catch below.
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const program = buildProgram(env);
  const json = argv.includes('--json');
  if (json) {
    // Commander's own usage messages would otherwise share stdout with the JSON document.
    program.configureOutput({ writeOut: (text) => process.stderr.write(text), writeErr: (text) => process.stderr.write(text) });
  }
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const failure = classifyError(error);
    if (!failure.printed) process.stderr.write(`error: ${failure.message}\n`);
    if (json && failure.exitCode !== 0) {
      const document = {
        ok: false,
        error: { code: failure.code, message: failure.message, ...(failure.details === undefined ? {} : { details: failure.details }) },
      };
      process.stdout.write(`${JSON.stringify(document)}\n`);
    }
    return failure.exitCode;
  }
}
