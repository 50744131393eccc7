// Paths the user types on the command line. `npm run cli` runs the CLI from the repository root,
// whatever folder the user was in, and records that folder in INIT_CWD, so relative paths are
// resolved against INIT_CWD when npm set it and against the working directory otherwise.
import path from 'node:path';

/** Returns the folder the user ran the command from. */
export function invocationDir(env: NodeJS.ProcessEnv): string {
  const initCwd = env.INIT_CWD;
  return initCwd !== undefined && initCwd !== '' ? initCwd : process.cwd();
}

/** Returns a user-supplied path as an absolute path, a relative one taken from the invocation folder. */
export function resolveUserPath(value: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(invocationDir(env), value);
}
