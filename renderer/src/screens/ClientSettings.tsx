// One client's settings: events, source, archive reason, review before push, test connection,
// replace the key, disconnect and reconnect. Every change is saved at once through the contract.
import { Alert, Badge, Button, Card, Group, Loader, Modal, PasswordInput, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ClientDetail, ClientSummary, KeyVerification } from '../../../shared/contract/index.js';
import { LIFECYCLE_EVENTS, type LifecycleEvent } from '../../../shared/domain.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import type { Result } from '../../../shared/result.js';
import { api } from '../api/transport.js';
import { useCall } from '../api/use-call.js';
import { ClientRequired } from '../components/ClientRequired.js';
import { CLIENT_STATUS_COLORS, CLIENT_STATUS_LABELS } from '../components/labels.js';
import { PermissionChecklist } from '../components/PermissionChecklist.js';
import { plural } from '../components/plural.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useClients } from '../state/clients.js';
import { EventToggles } from './ConnectClient.js';

export function ClientSettings() {
  return <ClientRequired title="Client settings">{(client) => <Settings key={client.id} summary={client} />}</ClientRequired>;
}

function Settings({ summary }: { summary: ClientSummary }) {
  const clientId = summary.id;
  const { reload: reloadClients } = useClients();
  const load = useCallback(() => api.clients.get({ clientId }), [clientId]);
  const [detail, reload] = useCall(load);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [verification, setVerification] = useState<KeyVerification | null>(null);
  const [newKey, setNewKey] = useState('');
  const [confirming, setConfirming] = useState<'disconnect' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The setting saved last, which shows a short "Saved" next to its control.
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    if (saved === null) return;
    const timer = setTimeout(() => setSaved(null), SAVED_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [saved]);

  const run = async <T,>(what: string, call: () => Promise<Result<T>>, after?: (value: T) => void) => {
    setBusy(what);
    setError(null);
    setNotice(null);
    setSaved(null);
    const result = await call();
    setBusy(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setSaved(what);
    after?.(result.value);
    reload();
    reloadClients();
  };

  if (detail.status === 'loading') return <Loader aria-label="Loading the client" />;
  if (detail.status === 'error') return <ErrorAlert error={detail.error} onRetry={reload} />;
  const client: ClientDetail = detail.value;

  const toggle = (event: LifecycleEvent, on: boolean) => {
    const events = LIFECYCLE_EVENTS.filter((entry) => (entry === event ? on : client.enabledEvents.includes(entry)));
    void run('events', () => api.clients.updateSettings({ clientId, events }));
  };
  const disconnected = client.status === 'disconnected';
  const archiveWithoutReason = client.enabledEvents.includes('archive') && client.archiveReasonId === null;

  return (
    <Stack data-testid="client-settings" data-ready={busy === null ? 'true' : 'false'} data-status={client.status} maw={820}>
      <Group justify="space-between">
        <Title order={2}>{client.name} · settings</Title>
        <Badge color={CLIENT_STATUS_COLORS[client.status]} size="lg" data-testid="client-status">
          {CLIENT_STATUS_LABELS[client.status]}
        </Badge>
      </Group>
      {client.statusReason && (
        <Alert color={CLIENT_STATUS_COLORS[client.status]} title="Why" data-testid="client-status-reason">
          {client.statusReason}
        </Alert>
      )}
      {error && <ErrorAlert error={error} />}
      {notice && (
        <Alert color="teal" role="status">
          {notice}
        </Alert>
      )}

      <Card withBorder>
        <Title order={3} size="h5" mb="sm">
          Connection
        </Title>
        <Text size="sm">
          {client.baseUrl} · key {client.keyTitle ? `"${client.keyTitle}"` : '(untitled)'} ·{' '}
          {client.isSandbox ? 'sandbox key kept in the database' : 'key in the OS keychain'}
        </Text>
        <Group mt="sm">
          <Button
            variant="light"
            loading={busy === 'test'}
            onClick={() => void run('test', () => api.clients.test({ clientId }), setVerification)}
          >
            Test connection
          </Button>
          {disconnected ? (
            <Button
              loading={busy === 'reconnect'}
              onClick={() =>
                void run('reconnect', () => api.clients.reconnect({ clientId }), (value) => setNotice(value.message))
              }
            >
              Reconnect
            </Button>
          ) : (
            <Button color="red" variant="light" onClick={() => setConfirming('disconnect')}>
              Disconnect
            </Button>
          )}
        </Group>
        {verification && (
          <Stack mt="sm">
            <PermissionChecklist verification={verification} eventsHint="Or turn off the events that need them under Events below." />
          </Stack>
        )}
        <Group mt="md" align="flex-end">
          <PasswordInput
            label="Replace the API key"
            description="The new key is verified first, then saved in place of the old one."
            value={newKey}
            onChange={(event) => setNewKey(event.currentTarget.value)}
            autoComplete="off"
            w={360}
          />
          <Button
            variant="default"
            disabled={newKey.trim() === ''}
            loading={busy === 'key'}
            onClick={() =>
              void run('key', () => api.clients.replaceKey({ clientId, apiKey: newKey }), (value) => {
                setNewKey('');
                setVerification(value.verification);
              })
            }
          >
            Replace key
          </Button>
        </Group>
      </Card>

      <Card withBorder>
        <Title order={3} size="h5" mb="sm">
          Where candidates land
        </Title>
        <AshbySelect
          clientId={clientId}
          kind="sources"
          label="Source"
          description="Set on applications the console creates; a candidate's own source is never changed."
          value={client.sourceId}
          onChange={(sourceId) => void run('source', () => api.clients.updateSettings({ clientId, sourceId }))}
        />
        <SavedNote shown={saved === 'source'} what="source" />
        <AshbySelect
          clientId={clientId}
          kind="archiveReasons"
          label="Archive reason"
          description="Ashby requires a reason to archive an application; the Archive event uses this one."
          value={client.archiveReasonId}
          onChange={(archiveReasonId) =>
            void run('reason', () => api.clients.updateSettings({ clientId, archiveReasonId }))
          }
        />
        <SavedNote shown={saved === 'reason'} what="archive reason" />
        {archiveWithoutReason && (
          <Alert color="yellow" variant="light" mt="xs" data-testid="archive-reason-warning">
            Archive pushes will wait until an archive reason is chosen.
          </Alert>
        )}
        <Switch
          mt="md"
          label="Review before push"
          description="Pushes wait in the review queue until an admin approves them."
          checked={client.reviewBeforePush}
          onChange={(event) =>
            void run('review', () =>
              api.clients.updateSettings({ clientId, reviewBeforePush: event.currentTarget.checked }),
            )
          }
        />
        <SavedNote shown={saved === 'review'} what="review before push" />
      </Card>

      <Card withBorder>
        <Title order={3} size="h5" mb="sm">
          Events
        </Title>
        <EventToggles events={client.enabledEvents} onToggle={toggle} disabled={busy === 'events'} />
        <SavedNote shown={saved === 'events'} what="events" />
      </Card>

      <Modal opened={confirming === 'disconnect'} onClose={() => setConfirming(null)} title={`Disconnect ${client.name}?`}>
        <Text size="sm">
          The console stops sending to {client.name}'s Ashby and pauses its queue. Nothing in Ashby is
          deleted, and nothing in the console is lost: roles, candidates, links, the queue and the
          key stay, and Reconnect resumes where it stopped.
        </Text>
        <Group mt="md" justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(null)}>
            Keep connected
          </Button>
          <Button
            color="red"
            loading={busy === 'disconnect'}
            onClick={() =>
              void run('disconnect', () => api.clients.disconnect({ clientId }), (value) => {
                setConfirming(null);
                setNotice(`${client.name} is disconnected; ${plural(value.paused, 'queued push', 'queued pushes')} paused.`);
              })
            }
          >
            Disconnect
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

/** How long the "Saved" note stays next to a control after its change was saved, in milliseconds. */
const SAVED_SHOWN_MS = 3000;

function SavedNote({ shown, what }: { shown: boolean; what: string }) {
  if (!shown) return null;
  return (
    <Text size="xs" c="teal" mt={4} role="status" data-testid="saved-note" aria-label={`Saved ${what}`}>
      Saved
    </Text>
  );
}

function AshbySelect(props: {
  clientId: number;
  kind: 'sources' | 'archiveReasons';
  label: string;
  description: string;
  value: string | null;
  onChange(value: string | null): void;
}) {
  const { clientId, kind } = props;
  const load = useCallback(
    () => (kind === 'sources' ? api.ashby.sources({ clientId }) : api.ashby.archiveReasons({ clientId })),
    [clientId, kind],
  );
  const [options, reload] = useCall(load);
  if (options.status === 'error') return <ErrorAlert error={options.error} onRetry={reload} />;
  return (
    <Select
      mt="xs"
      label={props.label}
      description={props.description}
      data={options.status === 'ready' ? options.value.map((option) => ({ value: option.id, label: option.title })) : []}
      value={props.value}
      onChange={props.onChange}
      placeholder={options.status === 'loading' ? 'Loading from Ashby…' : 'Not set'}
      searchable
      clearable
      // Mantine hides the clear button from assistive technology and the Tab key by default.
      clearButtonProps={{ 'aria-label': `Clear ${props.label}`, 'aria-hidden': false, tabIndex: 0 }}
      disabled={options.status !== 'ready'}
    />
  );
}
