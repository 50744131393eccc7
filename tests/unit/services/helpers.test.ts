// Pure helpers of the services layer: base URL checks, event lists, missing-permission wording and
// the CLI's mapping of failures to exit codes.
import os from 'node:os';
import path from 'node:path';
import { CommanderError, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliDataDir, desktopDataDir } from '../../../core/cli/data-dir.js';
import { countOf } from '../../../core/cli/plural.js';
import { classifyError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../../../core/cli/runner.js';
import { describeMissing, normalizeBaseUrl, parseEvents, toServiceError } from '../../../core/services/index.js';
import { AshbyAuthError, AshbyPermissionError, AshbyTransientError } from '../../../core/ashby/index.js';
import { isLoopbackUrl } from '../../../core/services/sandbox-url.js';
import { AppError } from '../../../shared/errors.js';

describe('normalizeBaseUrl', () => {
  it.each([
    ['https://api.ashbyhq.com', 'https://api.ashbyhq.com'],
    ['https://api.ashbyhq.com/', 'https://api.ashbyhq.com'],
    ['  http://127.0.0.1:4010  ', 'http://127.0.0.1:4010'],
  ])('accepts %s', (input, expected) => {
    expect(normalizeBaseUrl(input)).toBe(expected);
  });

  it.each(['api.ashbyhq.com', 'ftp://example.com', '', 'https://'])('rejects %s', (input) => {
    expect(normalizeBaseUrl(input)).toBeNull();
  });
});

describe('isLoopbackUrl', () => {
  it.each(['http://127.0.0.1:4010', 'http://127.10.0.3', 'http://localhost:4010', 'http://LOCALHOST', 'http://[::1]:4010'])('accepts %s', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each(['https://api.ashbyhq.com', 'http://0.0.0.0:4010', 'http://10.0.0.1', 'http://127.example.com', 'http://localhost.example.com', 'not a url'])(
    'rejects %s',
    (url) => {
      expect(isLoopbackUrl(url)).toBe(false);
    },
  );
});

describe('countOf', () => {
  it.each([
    [0, 'items'],
    [1, 'item'],
    [2, 'items'],
  ])('counts %i as %s', (count, noun) => {
    expect(countOf(count, 'item')).toBe(`${count} ${noun}`);
  });

  it('takes an irregular plural', () => {
    expect(countOf(1, 'audit entry', 'audit entries')).toBe('1 audit entry');
    expect(countOf(3, 'audit entry', 'audit entries')).toBe('3 audit entries');
  });
});

describe('parseEvents', () => {
  it('orders events and drops duplicates', () => {
    expect(parseEvents(['hire', 'request_intro', 'hire'])).toEqual(['request_intro', 'hire']);
  });

  it('rejects an unknown event naming it', () => {
    expect(() => parseEvents(['hire', 'promote'])).toThrow(/"promote"/);
  });

  it('accepts an empty list', () => {
    expect(parseEvents([])).toEqual([]);
  });
});

describe('describeMissing', () => {
  it('names each event and its permissions', () => {
    expect(
      describeMissing([
        { event: 'request_intro', missing: ['candidatesWrite'] },
        { event: 'archive', missing: ['candidatesWrite', 'hiringProcessMetadataRead'] },
      ]),
    ).toBe('request_intro needs candidatesWrite; archive needs candidatesWrite, hiringProcessMetadataRead');
  });
});

describe('toServiceError', () => {
  it('maps a rejected key to ashby_auth with the fix', () => {
    const error = toServiceError(new AshbyAuthError('key_rejected', { endpoint: 'job.list', status: 403 }), 'listing jobs', 'Acme');
    expect(error.code).toBe('ashby_auth');
    expect(error.message).toContain('Acme');
    expect(error.message).toContain('replace it');
  });

  it('maps a missing permission naming it', () => {
    const error = toServiceError(new AshbyPermissionError({ endpoint: 'source.list' }, 'hiringProcessMetadataRead'), 'listing sources', 'Acme');
    expect(error.code).toBe('ashby_permission');
    expect(error.message).toContain('hiringProcessMetadataRead');
  });

  it('maps a network failure to ashby_unreachable', () => {
    const error = toServiceError(new AshbyTransientError('network', { endpoint: 'job.list' }), 'listing jobs', 'Acme');
    expect(error.code).toBe('ashby_unreachable');
    expect(error.message).toContain('Check the base URL');
  });
});

describe('classifyError', () => {
  it.each([
    ['unknown option', new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), EXIT_USAGE],
    ['help requested', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), EXIT_OK],
    ['group without subcommand', new CommanderError(1, 'commander.help', '(outputHelp)'), EXIT_USAGE],
    ['invalid option value', new InvalidArgumentError('expected on or off'), EXIT_USAGE],
    ['usage found later', new UsageError('Give ids or --all'), EXIT_USAGE],
    ['invalid input', new AppError('invalid_input', 'bad id'), EXIT_USAGE],
    ['not found', new AppError('not_found', 'No client named "X"'), EXIT_FAILURE],
    ['key rejected', new AppError('ashby_auth', 'rejected'), EXIT_FAILURE],
    ['unexpected', new Error('boom'), EXIT_FAILURE],
  ])('%s', (_name, error, exitCode) => {
    expect(classifyError(error).exitCode).toBe(exitCode);
  });

  it('keeps the message and code of an AppError', () => {
    const failure = classifyError(new AppError('busy', 'Another Ashby Sync process is running'));
    expect(failure.code).toBe('busy');
    expect(failure.message).toBe('Another Ashby Sync process is running');
    expect(failure.printed).toBe(false);
  });
});

describe('cli data folder', () => {
  it('matches the desktop app per platform', () => {
    expect(desktopDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe(path.join('/cfg', 'Ashby Sync Console'));
    expect(desktopDataDir({}, 'linux')).toBe(path.join(os.homedir(), '.config', 'Ashby Sync Console'));
    expect(desktopDataDir({}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Application Support', 'Ashby Sync Console'));
    expect(desktopDataDir({ APPDATA: '/appdata' }, 'win32')).toBe(path.join('/appdata', 'Ashby Sync Console'));
  });

  it('prefers the flag, then the environment', () => {
    expect(cliDataDir('/flag', { ASHBY_SYNC_DATA_DIR: '/env' })).toBe(path.resolve('/flag'));
    expect(cliDataDir(undefined, { ASHBY_SYNC_DATA_DIR: '/env' })).toBe(path.resolve('/env'));
  });

  it('resolves a relative folder against INIT_CWD', () => {
    expect(cliDataDir('data', { INIT_CWD: '/home/user/project' })).toBe(path.resolve('/home/user/project/data'));
    expect(cliDataDir(undefined, { INIT_CWD: '/home/user', ASHBY_SYNC_DATA_DIR: 'sync' })).toBe(path.resolve('/home/user/sync'));
    expect(cliDataDir('data', {})).toBe(path.resolve(process.cwd(), 'data'));
  });
});
