// `npm run host`: serves the console to a browser on this machine, for machines without the
// Electron binary. Prints the URL (with its access token) and runs until SIGINT or SIGTERM.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliDataDir } from '../cli/data-dir.js';
import { DEFAULT_STATIC_DIR, startBrowserHost } from './server.js';

const USAGE = `Usage: npm run host -- [--data-dir PATH] [--host 127.0.0.1] [--port 0]

  --data-dir PATH  data folder (default: ASHBY_SYNC_DATA_DIR, else the desktop app's
                   folder, ~/.config/Ashby Sync Console on Linux)
  --host ADDRESS   loopback address to listen on (default 127.0.0.1)
  --port NUMBER    TCP port; 0 picks a free one (default: ASHBY_SYNC_HOST_PORT, else 0)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: process.env.ASHBY_SYNC_HOST_PORT ?? '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port "${values.port}": use a whole number from 0 to 65535.`);
  }
  if (!existsSync(path.join(DEFAULT_STATIC_DIR, 'index.html'))) {
    throw new Error(
      `The renderer is not built (${DEFAULT_STATIC_DIR} has no index.html). Run \`npm run build\` first.`,
    );
  }

  // npm runs this from the repository root and passes the user's folder in INIT_CWD.
  const dataDir = cliDataDir(values['data-dir'], process.env);
  const host = await startBrowserHost({ host: values.host, port, dataDir, env: process.env });

  process.stdout.write(`Ashby Sync Console is running in browser mode.\n`);
  process.stdout.write(`  Data folder: ${dataDir}\n`);
  if (host.startupError) {
    process.stdout.write(
      `  The data folder could not be opened (${host.startupError.code}); the page shows why.\n`,
    );
  }
  process.stdout.write(`  Open: ${host.url}\n`);
  process.stdout.write(`Press Ctrl+C to stop.\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\nReceived ${signal}; stopping.\n`);
    void host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Failed to stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
