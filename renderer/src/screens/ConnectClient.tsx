// The guided connect: name → API key (verified, then saved to the keychain) → the permission
// checklist → source → archive reason → event toggles → done. Each failure says what to fix.
import {
  Alert,
  Button,
  Group,
  Loader,
  PasswordInput,
  Select,
  Stack,
  Stepper,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import type { AshbyOption, ClientDetail, KeyVerification } from '../../../shared/contract/index.js';
import { DEFAULT_ENABLED_EVENTS, LIFECYCLE_EVENTS, type LifecycleEvent } from '../../../shared/domain.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { api } from '../api/transport.js';
import { useCall } from '../api/use-call.js';
import { AUTOMATIONS_NOTE, EVENT_EFFECTS, EVENT_LABELS, SHORTLIST_NOTE } from '../components/labels.js';
import { PermissionChecklist } from '../components/PermissionChecklist.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useClients } from '../state/clients.js';
import { useNavigation } from '../state/navigation.js';

const ASHBY_API = 'https://api.ashbyhq.com';

export function ConnectClient() {
  const { reload, selectClient } = useClients();
  const { navigate } = useNavigation();
  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState(ASHBY_API);
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [verification, setVerification] = useState<KeyVerification | null>(null);
  const [client, setClient] = useState<ClientDetail | null>(null);
  const [sourceId, setSourceId] = useState<string | null>(null);
  const [archiveReasonId, setArchiveReasonId] = useState<string | null>(null);
  const [events, setEvents] = useState<LifecycleEvent[]>([...DEFAULT_ENABLED_EVENTS]);

  const verifyAndSave = async () => {
    setBusy(true);
    setError(null);
    const checked = await api.clients.verifyKey({ baseUrl, apiKey, events });
    if (!checked.ok) {
      setBusy(false);
      setError(checked.error);
      return;
    }
    setVerification(checked.value);
    if (!checked.value.ok) {
      setBusy(false);
      return;
    }
    const added = await api.clients.add({ name, baseUrl, apiKey, events });
    setBusy(false);
    if (!added.ok) {
      setError(added.error);
      return;
    }
    // The key is stored now, so the renderer drops its copy.
    setApiKey('');
    setClient(added.value.client);
    setVerification(added.value.verification);
    reload();
    setStep(2);
  };

  const finish = async () => {
    if (!client) return;
    setBusy(true);
    setError(null);
    const saved = await api.clients.updateSettings({
      clientId: client.id,
      events,
      ...(sourceId === null ? {} : { sourceId }),
      ...(archiveReasonId === null ? {} : { archiveReasonId }),
    });
    setBusy(false);
    if (!saved.ok) {
      setError(saved.error);
      return;
    }
    setClient(saved.value);
    reload();
    setStep(6);
  };

  const toggle = (event: LifecycleEvent, on: boolean) =>
    setEvents((current) => LIFECYCLE_EVENTS.filter((entry) => (entry === event ? on : current.includes(entry))));

  return (
    <Stack data-testid="connect-wizard" data-step={step} data-ready={busy ? 'false' : 'true'} maw={760}>
      <Title order={2}>Connect a client</Title>
      <Stepper active={step} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Name" description="The client organisation">
          <Stack mt="md">
            <TextInput
              label="Client name"
              description="The client organisation's name, as the agency calls it."
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              required
              data-autofocus
            />
            <Group>
              <Button disabled={name.trim() === ''} onClick={() => setStep(1)}>
                Next
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="API key" description="Saved to the keychain">
          <Stack mt="md">
            <PasswordInput
              label="Ashby API key"
              description="In Ashby: Admin → API keys → create a key. It is saved to the OS keychain and never shown again."
              value={apiKey}
              onChange={(event) => setApiKey(event.currentTarget.value)}
              autoComplete="off"
              required
            />
            <TextInput
              label="Ashby API address"
              description={`Leave as ${ASHBY_API} unless you connect a sandbox.`}
              value={baseUrl}
              onChange={(event) => setBaseUrl(event.currentTarget.value)}
            />
            {verification && !verification.ok && (
              <PermissionChecklist verification={verification} eventsHint="Or turn off the events that need them here, then verify again:" />
            )}
            {verification?.problem === 'missing_permissions' && <EventToggles events={events} onToggle={toggle} />}
            {error && <ErrorAlert error={error} onRetry={() => void verifyAndSave()} />}
            <Group>
              <Button variant="default" onClick={() => setStep(0)}>
                Back
              </Button>
              <Button loading={busy} disabled={apiKey.trim() === ''} onClick={() => void verifyAndSave()}>
                Verify and save key
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Verification" description="Permissions">
          <Stack mt="md">
            {verification && (
              <PermissionChecklist verification={verification} eventsHint="Or turn off the events that need them in the Events step." />
            )}
            <Group>
              <Button onClick={() => setStep(3)}>Next</Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Source" description="Attribution">
          {client && (
            <OptionStep
              key="source"
              label="Source for applications the console creates"
              description="Ashby shows this source on every application the console creates. A candidate's own source is never changed."
              clientId={client.id}
              kind="sources"
              value={sourceId}
              onChange={setSourceId}
              onBack={() => setStep(2)}
              onNext={() => setStep(4)}
            />
          )}
        </Stepper.Step>

        <Stepper.Step label="Archive reason" description="For the Archive event">
          {client && (
            <OptionStep
              key="archive-reason"
              label="Archive reason"
              description="Ashby requires a reason to archive an application; the Archive event uses this one."
              clientId={client.id}
              kind="archiveReasons"
              value={archiveReasonId}
              onChange={setArchiveReasonId}
              onBack={() => setStep(3)}
              onNext={() => setStep(5)}
            />
          )}
        </Stepper.Step>

        <Stepper.Step label="Events" description="What is pushed">
          <Stack mt="md">
            <EventToggles events={events} onToggle={toggle} />
            {error && <ErrorAlert error={error} onRetry={() => void finish()} />}
            <Group>
              <Button variant="default" onClick={() => setStep(4)}>
                Back
              </Button>
              <Button loading={busy} onClick={() => void finish()}>
                Finish
              </Button>
            </Group>
          </Stack>
        </Stepper.Step>

        <Stepper.Completed>
          <Stack mt="md" data-testid="connect-done">
            <Alert color="teal" title={`${client?.name ?? name} is connected`}>
              Next, import the client's pipeline export and link its roles to Ashby jobs.
            </Alert>
            <Group>
              <Button
                onClick={() => {
                  if (client) selectClient(client.id);
                  navigate('import');
                }}
              >
                Import a pipeline export
              </Button>
              <Button variant="default" onClick={() => navigate('dashboard')}>
                Back to the dashboard
              </Button>
            </Group>
          </Stack>
        </Stepper.Completed>
      </Stepper>
    </Stack>
  );
}

function OptionStep(props: {
  label: string;
  description: string;
  clientId: number;
  kind: 'sources' | 'archiveReasons';
  value: string | null;
  onChange(value: string | null): void;
  onBack(): void;
  onNext(): void;
}) {
  const { clientId, kind } = props;
  const load = useCallback(
    () => (kind === 'sources' ? api.ashby.sources({ clientId }) : api.ashby.archiveReasons({ clientId })),
    [clientId, kind],
  );
  const [options, reload] = useCall<AshbyOption[]>(load);
  return (
    <Stack mt="md">
      {options.status === 'loading' && <Loader size="sm" aria-label={`Loading ${props.label}`} />}
      {options.status === 'error' && <ErrorAlert error={options.error} onRetry={reload} />}
      {options.status === 'ready' && (
        <Select
          label={props.label}
          description={props.description}
          data={options.value.map((option) => ({ value: option.id, label: option.title }))}
          value={props.value}
          onChange={props.onChange}
          searchable
          clearable
          clearButtonProps={{ 'aria-label': `Clear ${props.label}` }}
          nothingFoundMessage="Nothing matches"
          placeholder="Choose one"
        />
      )}
      <Group>
        <Button variant="default" onClick={props.onBack}>
          Back
        </Button>
        <Button onClick={props.onNext} disabled={options.status !== 'ready'}>
          Next
        </Button>
      </Group>
    </Stack>
  );
}

/** Event switches with where each lands in Ashby; used by the wizard and the settings screen. */
export function EventToggles({
  events,
  onToggle,
  disabled = false,
}: {
  events: readonly LifecycleEvent[];
  onToggle(event: LifecycleEvent, on: boolean): void;
  disabled?: boolean;
}) {
  return (
    <Stack gap="sm" role="group" aria-label="Events pushed to Ashby">
      {LIFECYCLE_EVENTS.map((event) => (
        <Switch
          key={event}
          label={EVENT_LABELS[event]}
          description={EVENT_EFFECTS[event]}
          checked={events.includes(event)}
          disabled={disabled}
          onChange={(change) => onToggle(event, change.currentTarget.checked)}
        />
      ))}
      <Text size="sm" c="dimmed">
        {SHORTLIST_NOTE}
      </Text>
      <Text size="sm" c="dimmed">
        {AUTOMATIONS_NOTE}
      </Text>
    </Stack>
  );
}
