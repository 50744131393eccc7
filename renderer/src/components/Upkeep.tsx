// The app's own upkeep in the UI. UpkeepNotices, above every screen, shows the update banner, the
// notice after a session that ended unexpectedly and restore notices. AboutButton, in the header,
// opens About with the version, the data folder, update checks, backup and restore.
import { Alert, Anchor, Button, Code, Group, Modal, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, BackupStatus, SessionNotices, UpdateStatus } from '../../../shared/contract/index.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { api } from '../api/transport.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';

/** How often the banner reads the update status, in milliseconds. */
const UPDATE_POLL_MS = 10_000;

function UpdateBanner({ status, onRestart }: { status: UpdateStatus; onRestart: () => void }) {
  if (!status.enabled) return null;

  if (status.phase === 'downloading') {
    return (
      <Alert color="blue" title={`Downloading version ${status.availableVersion ?? ''}`} mb="md" data-testid="update-banner">
        <Progress value={status.percent ?? 0} size="sm" aria-label="Update download progress" />
      </Alert>
    );
  }

  if (status.phase === 'ready') {
    return (
      <Alert color={status.waitingFor ? 'yellow' : 'teal'} title="Update ready — restart" mb="md" data-testid="update-banner">
        <Text size="sm">
          Version {status.availableVersion} is downloaded. It installs when you restart, or the next time you quit.
        </Text>
        {status.waitingFor ? (
          <Text size="sm" mt="xs" data-testid="update-waiting">
            {status.installRequested ? 'The restart waits: ' : 'A restart now would wait: '}
            {status.waitingFor} Nothing is installed while a bulk push or link resolution is running.
          </Text>
        ) : null}
        {!status.installRequested && (
          <Button size="xs" mt="sm" onClick={onRestart}>
            Restart to update
          </Button>
        )}
      </Alert>
    );
  }

  if (status.phase === 'error' && status.error) {
    return (
      <Alert color="red" title={`Update ${status.error.during} failed`} mb="md" data-testid="update-banner">
        <Text size="sm">{status.error.message}</Text>
        {status.downloadUrl && (
          <Text size="sm" mt="xs">
            Download the latest version manually from{' '}
            <Anchor href={status.downloadUrl} target="_blank" rel="noreferrer">
              {status.downloadUrl}
            </Anchor>
            .
          </Text>
        )}
      </Alert>
    );
  }
  return null;
}

function useUpdateStatus(): [UpdateStatus | null, () => void] {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const refresh = useCallback(() => {
    void api.updates.status().then((result) => {
      if (result.ok) setStatus(result.value);
    });
  }, []);
  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, UPDATE_POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);
  return [status, refresh];
}

/** Notices shown above every screen: updates, an unexpected end of the last session, restores. */
export function UpkeepNotices() {
  const [status, refreshStatus] = useUpdateStatus();
  const [notices, setNotices] = useState<SessionNotices | null>(null);
  const [backup, setBackup] = useState<BackupStatus | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void api.session.notices().then((result) => result.ok && setNotices(result.value));
    void api.backup.status().then((result) => result.ok && setBackup(result.value));
  }, []);

  const dismiss = () => {
    void api.session.dismissNotice().then((result) => {
      if (result.ok) setNotices(result.value);
      setBackup((current) => (current ? { ...current, lastRestore: null } : current));
    });
  };

  const restart = () => {
    void api.updates.restart().then((result) => {
      setMessage(result.ok ? result.value.message : result.error.message);
      refreshStatus();
    });
  };

  return (
    <>
      {status && <UpdateBanner status={status} onRestart={restart} />}
      {message && (
        <Alert color="gray" mb="md" withCloseButton onClose={() => setMessage(null)}>
          {message}
        </Alert>
      )}
      {notices?.uncleanExit && (
        <Alert color="orange" title="The last session ended unexpectedly" mb="md" withCloseButton onClose={dismiss} data-testid="unclean-exit-notice">
          {notices.uncleanExit.message}
        </Alert>
      )}
      {backup?.lastRestore && (
        <Alert color="teal" title="Data restored from a backup" mb="md" withCloseButton onClose={dismiss}>
          Restored from <Code>{backup.lastRestore.source}</Code>.
          {backup.lastRestore.previousKeptAs && (
            <>
              {' '}The data it replaced is kept at <Code>{backup.lastRestore.previousKeptAs}</Code>.
            </>
          )}
        </Alert>
      )}
    </>
  );
}

function BackupSection({ usesDialogs }: { usesDialogs: boolean }) {
  const [backupPath, setBackupPath] = useState('');
  const [restorePath, setRestorePath] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [canRelaunch, setCanRelaunch] = useState(false);

  useEffect(() => {
    void api.backup.status().then((result) => result.ok && setStatus(result.value));
  }, []);

  const backUp = async () => {
    setError(null);
    setOutcome(null);
    const result = await api.backup.create(usesDialogs ? {} : { file: backupPath });
    if (!result.ok) return setError(result.error);
    if (result.value.status === 'written') {
      setOutcome(`Backup written to ${result.value.file} (${Math.round(result.value.bytes / 1024)} KiB).`);
    }
  };

  const restore = async () => {
    setError(null);
    setOutcome(null);
    const result = await api.backup.restore(usesDialogs ? {} : { file: restorePath });
    if (!result.ok) return setError(result.error);
    if (result.value.status === 'staged') {
      setOutcome(result.value.message);
      setCanRelaunch(result.value.canRelaunch);
      const refreshed = await api.backup.status();
      if (refreshed.ok) setStatus(refreshed.value);
    }
  };

  const cancelRestore = async () => {
    const result = await api.backup.cancelRestore();
    if (result.ok) {
      setStatus(result.value);
      setOutcome('The staged restore was cancelled.');
    }
  };

  return (
    <Stack gap="xs">
      <Text fw={600}>Back up and restore</Text>
      <Text size="sm" c="dimmed">
        A backup is a consistent copy of the database, taken while the console runs. API keys stay in the OS keychain
        and are not part of it.
      </Text>
      {!usesDialogs && (
        <TextInput
          label="Backup file path"
          placeholder="/home/me/backups/console-backup.sqlite"
          value={backupPath}
          onChange={(event) => setBackupPath(event.currentTarget.value)}
        />
      )}
      <Group>
        <Button size="xs" onClick={() => void backUp()} disabled={!usesDialogs && backupPath.trim() === ''}>
          Back up data
        </Button>
      </Group>
      {!usesDialogs && (
        <TextInput
          label="Restore from file path"
          value={restorePath}
          onChange={(event) => setRestorePath(event.currentTarget.value)}
        />
      )}
      <Group>
        <Button size="xs" variant="default" onClick={() => void restore()} disabled={!usesDialogs && restorePath.trim() === ''}>
          {usesDialogs ? 'Restore from a backup…' : 'Restore from this file'}
        </Button>
        {status?.pendingRestore && (
          <Button size="xs" variant="subtle" color="red" onClick={() => void cancelRestore()}>
            Cancel the staged restore
          </Button>
        )}
        {status?.pendingRestore && canRelaunch && (
          <Button size="xs" variant="light" onClick={() => void api.session.relaunch()}>
            Restart now
          </Button>
        )}
      </Group>
      {status?.pendingRestore && (
        <Text size="sm">
          Staged: <Code>{status.pendingRestore.source}</Code> replaces the current data at the next start.
        </Text>
      )}
      {outcome && <Text size="sm">{outcome}</Text>}
      {error && <ErrorAlert error={error} />}
    </Stack>
  );
}

/** Header button that opens About: version, data folder, update state, backup and restore. */
export function AboutButton({ info }: { info: AppInfo }) {
  const [opened, setOpened] = useState(false);
  const [status, refreshStatus] = useUpdateStatus();
  const [checking, setChecking] = useState(false);

  const check = async () => {
    setChecking(true);
    await api.updates.check();
    setChecking(false);
    refreshStatus();
  };

  return (
    <>
      <Button variant="subtle" size="xs" onClick={() => setOpened(true)}>
        About
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`About ${info.name}`} size="lg">
        <Stack gap="md">
          <Stack gap={4}>
            <Text>
              Version <Code>{info.version}</Code>
            </Text>
            <Text size="sm">
              Data folder: <Code>{info.dataDir}</Code>
            </Text>
          </Stack>
          <Stack gap={4}>
            <Text fw={600}>Updates</Text>
            {status && !status.enabled && <Text size="sm">{status.disabledReason}</Text>}
            {status?.enabled && (
              <Group>
                <Text size="sm">
                  {status.phase === 'up_to_date' && 'This is the latest version.'}
                  {status.phase === 'ready' && `Version ${status.availableVersion} is ready to install.`}
                  {status.phase === 'downloading' && `Downloading version ${status.availableVersion}.`}
                  {status.phase === 'error' && `The last update ${status.error?.during ?? 'check'} failed.`}
                  {(status.phase === 'idle' || status.phase === 'checking') && 'Checking for updates…'}
                </Text>
                <Button size="xs" variant="default" loading={checking} onClick={() => void check()}>
                  Check for updates
                </Button>
              </Group>
            )}
          </Stack>
          <BackupSection usesDialogs={info.transport === 'electron'} />
        </Stack>
      </Modal>
    </>
  );
}
