import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closeLogging,
  createLogger,
  initLogging,
  LOG_FILE_NAME,
  registerSecret,
  scrubSecrets,
} from '../../../core/log/logger.js';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ashby-log-'));
});

afterEach(async () => {
  await closeLogging();
  rmSync(dataDir, { recursive: true, force: true });
});

function readAllLogs(): string {
  const logsDir = path.join(dataDir, 'logs');
  return readdirSync(logsDir)
    .map((name) => readFileSync(path.join(logsDir, name), 'utf8'))
    .join('');
}

function parseLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logger', () => {
  it('writes JSON lines with the subsystem', async () => {
    initLogging({ dataDir });
    createLogger('sync').info({ clientId: 7 }, 'push started');
    await closeLogging();

    const lines = parseLines(readFileSync(path.join(dataDir, 'logs', LOG_FILE_NAME), 'utf8'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ subsystem: 'sync', clientId: 7, msg: 'push started', level: 30 });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it('applies the level to loggers created before init', async () => {
    const early = createLogger('store');
    initLogging({ dataDir, level: 'debug' });
    early.debug('debug line');
    createLogger('ipc').trace('trace line');
    await closeLogging();

    const messages = parseLines(readAllLogs()).map((line) => line.msg);
    expect(messages).toEqual(['debug line']);
  });

  it('redacts keys and authorization headers by path', async () => {
    initLogging({ dataDir });
    const log = createLogger('ashby');
    log.info({ apiKey: 'path-secret-one' }, 'top level');
    log.info({ client: { apiKey: 'path-secret-two' } }, 'nested');
    log.info({ headers: { authorization: 'Basic path-secret-three' } }, 'headers');
    log.info({ request: { headers: { Authorization: 'Basic path-secret-four' } } }, 'request');
    log.info({ password: 'path-secret-five', authorization: 'path-secret-six' }, 'flat');
    log.info({ call: { client: { apiKey: 'path-secret-seven' } } }, 'two levels');
    log.info({ error: { request: { headers: { authorization: 'Basic path-secret-eight' } } } }, 'deep header');
    await closeLogging();

    const text = readAllLogs();
    for (const value of ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight']) {
      expect(text).not.toContain(`path-secret-${value}`);
    }
    const lines = parseLines(text);
    expect(lines[0]?.apiKey).toBe('[redacted]');
    expect((lines[2]?.headers as Record<string, unknown>).authorization).toBe('[redacted]');
  });

  it('scrubs a registered secret anywhere in a line', async () => {
    const secret = 'registered-secret-"quoted"-value';
    const basic = Buffer.from(`${secret}:`).toString('base64');
    expect(registerSecret(secret)).toBe(true);

    initLogging({ dataDir });
    const log = createLogger('ashby');
    log.error({ err: new Error(`request failed with key ${secret}`) }, 'call failed');
    log.info({ note: `Basic ${basic}` }, `sent ${secret}`);
    await closeLogging();

    const text = readAllLogs();
    expect(text).not.toContain('registered-secret');
    expect(text).not.toContain(basic);
    expect(text).toContain('[redacted]');
    // The replacement keeps every line valid JSON.
    expect(parseLines(text)).toHaveLength(2);
  });

  it('scrubs the percent-encoded form', () => {
    registerSecret('url/secret+value=1');
    expect(scrubSecrets('GET /x?key=url%2Fsecret%2Bvalue%3D1')).toBe('GET /x?key=[redacted]');
  });

  it('creates the log file readable by the user only', async () => {
    initLogging({ dataDir });
    createLogger('app').info('started');
    await closeLogging();

    expect(statSync(path.join(dataDir, 'logs', LOG_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, 'logs')).mode & 0o777).toBe(0o700);
  });

  it('ignores secrets too short to scrub safely', () => {
    expect(registerSecret('30')).toBe(false);
    expect(scrubSecrets('{"level":30}')).toBe('{"level":30}');
  });

  it('keeps rotation bounded by size and count', async () => {
    initLogging({ dataDir, maxFileSize: '2K', maxFiles: 2 });
    const log = createLogger('sync');
    for (let i = 0; i < 400; i += 1) {
      log.info({ index: i, padding: 'x'.repeat(100) }, 'filler line');
      // Give the asynchronous rotation job a turn now and then, as a running app would.
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await closeLogging();

    const names = readdirSync(path.join(dataDir, 'logs')).sort();
    expect(names).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    const lines = parseLines(readAllLogs());
    // Only the newest lines survive: about three files of 2 KiB, never all 400.
    expect(lines.length).toBeLessThan(100);
    expect(lines.some((line) => line.index === 399)).toBe(true);
  });
});
