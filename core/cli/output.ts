// CLI output. Results go to stdout as readable lines, or with --json as exactly one JSON
// document. Progress and errors go to stderr, so stdout stays parseable.
import { SingleBar, Presets } from 'cli-progress';

export interface Output {
  readonly json: boolean;
  /** Prints a line of the readable result (ignored with --json). */
  line(text?: string): void;
  /** Prints rows as aligned columns (ignored with --json). */
  table(header: string[], rows: (string | number | null)[][]): void;
  /** Prints a notice on stderr. */
  notice(text: string): void;
  /** Starts a progress display: a bar on a terminal, plain lines otherwise. */
  progress(label: string): Progress;
}

export interface Progress {
  update(done: number, total: number, detail?: string): void;
  stop(): void;
}

/** Seconds between plain progress lines when stderr is not a terminal. */
const PLAIN_PROGRESS_INTERVAL_MS = 1000;

export function createOutput(options: { json: boolean; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WriteStream }): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const interactive = stderr.isTTY === true && !options.json;
  return {
    json: options.json,
    line(text = '') {
      if (!options.json) stdout.write(`${text}\n`);
    },
    table(header, rows) {
      if (options.json) return;
      const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))))];
      const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
      for (const row of cells) {
        stdout.write(`${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}\n`);
      }
    },
    notice(text) {
      stderr.write(`${text}\n`);
    },
    progress(label) {
      if (interactive) return barProgress(label, stderr);
      return plainProgress(label, stderr);
    },
  };
}

function barProgress(label: string, stream: NodeJS.WriteStream): Progress {
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} {detail}`, stream, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, detail = '') {
      if (!started) {
        bar.start(Math.max(total, 1), done, { detail });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { detail });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function plainProgress(label: string, stream: NodeJS.WritableStream): Progress {
  let lastAt = 0;
  let last = '';
  return {
    update(done, total, detail = '') {
      const text = `${label}: ${done}/${total}${detail === '' ? '' : ` ${detail}`}`;
      const now = Date.now();
      if (text === last || (now - lastAt < PLAIN_PROGRESS_INTERVAL_MS && done < total)) return;
      lastAt = now;
      last = text;
      stream.write(`${text}\n`);
    },
    stop() {},
  };
}
