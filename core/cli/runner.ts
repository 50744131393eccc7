// Runs one CLI command: opens the services for the data folder, calls the command, prints its
// result (readable lines or one JSON document) and maps failures to exit codes:
// 0 success, 1 a failure the user can fix (the message names the fix), 2 wrong usage.
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { hasErrorCode } from '../../shared/errors.js';
import { openServices, type Services } from '../services/index.js';
import { cliDataDir } from './data-dir.js';
import { createOutput, type Output } from './output.js';
import { resolveUserPath } from './paths.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export interface CommandOutcome {
  /** The command's result: the JSON document's `result`, and what the readable printer used. */
  result: unknown;
  /** Exit code when the command ran but found a failure the user must fix (a failed sync). */
  exitCode?: number;
  /** With --json, an error to report next to the result when `exitCode` is 1. */
  error?: { code: string; message: string };
}

export interface RunContext {
  services: Services;
  out: Output;
  /** Resolves a path the user typed against the folder the command was run from (see paths.ts). */
  userPath(value: string): string;
}

export interface CommandSpec {
  /**
   * Start the sync engine in this process. Commands that only queue work pass false, so they
   * work while the desktop app holds the engine lock.
   */
  engine: boolean;
}

/** Rejected usage found after commander parsed the arguments (for example `queue approve` with neither ids nor --all). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Builds the runner commands call from their action handlers. */
export function commandRunner(env: NodeJS.ProcessEnv) {
  return async function run(command: Command, spec: CommandSpec, body: (context: RunContext) => Promise<CommandOutcome>): Promise<void> {
    const options = globalOptions(command);
    const out = createOutput({ json: options.json === true });
    const dataDir = cliDataDir(options.dataDir, env);
    const services = await openServices({ dataDir, env, runEngine: spec.engine, actor: 'cli' });
    try {
      const outcome = await body({ services, out, userPath: (value) => resolveUserPath(value, env) });
      if (out.json) {
        const document = outcome.error === undefined ? { ok: (outcome.exitCode ?? 0) === 0, result: outcome.result } : { ok: false, result: outcome.result, error: outcome.error };
        process.stdout.write(`${JSON.stringify(document)}\n`);
      }
      process.exitCode = outcome.exitCode ?? EXIT_OK;
    } finally {
      await services.close();
    }
  };
}

export type Runner = ReturnType<typeof commandRunner>;

/** Maps an error that ended a command to its exit code, a code word and a message. */
export function classifyError(error: unknown): { exitCode: number; code: string; message: string; details?: unknown; printed: boolean } {
  if (error instanceof CommanderError) {
    // `commander.help` with exit code 1 is help shown because a command group got no subcommand.
    const helpOrVersion =
      error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || (error.code === 'commander.help' && error.exitCode === 0);
    const message = error.code === 'commander.help' ? 'a subcommand is required; run with --help to list them' : error.message.replace(/^error: /, '');
    // Commander has already printed its own message (or the help) on stderr.
    return { exitCode: helpOrVersion ? EXIT_OK : EXIT_USAGE, code: 'usage', message, printed: true };
  }
  if (error instanceof InvalidArgumentError || error instanceof UsageError) {
    return { exitCode: EXIT_USAGE, code: 'usage', message: error.message, printed: false };
  }
  if (hasErrorCode(error)) {
    const details = (error as { details?: unknown }).details;
    return {
      exitCode: error.code === 'invalid_input' ? EXIT_USAGE : EXIT_FAILURE,
      code: error.code,
      message: error.message,
      printed: false,
      ...(details === undefined ? {} : { details }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: EXIT_FAILURE,
    code: 'internal',
    message: `Unexpected failure: ${message}. The log in the data folder's logs/ has the details.`,
    printed: false,
  };
}
