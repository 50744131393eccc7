// The client's roles: the linked Ashby job (searchable dropdown of the tenant's jobs), link and
// unlink, link-resolution progress, the event → stage mapping with overrides, and the bulk push
// with a confirmation of how many candidates will be pushed and why the others are not.
import { Alert, Badge, Button, Card, Group, List, Loader, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AshbyJob, BulkPushPlan, ClientSummary, RoleSummary, StageMapping } from '../../../shared/contract/index.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { api } from '../api/transport.js';
import { useCall, type CallState } from '../api/use-call.js';
import { ClientRequired } from '../components/ClientRequired.js';
import { AUTOMATIONS_NOTE, EVENT_LABELS } from '../components/labels.js';
import { plural } from '../components/plural.js';
import { TaskProgressBar } from '../components/TaskProgress.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useNavigation } from '../state/navigation.js';
import { FINISHED_STATES, useTasks, type LiveTask } from '../state/tasks.js';

const LINK_STATUS_LABELS: Record<RoleSummary['linkStatus'], string> = {
  unlinked: 'Not linked',
  resolving: 'Finding candidates in Ashby…',
  linked: 'Linked',
  needs_attention: 'Needs attention',
};
const LINK_STATUS_COLORS: Record<RoleSummary['linkStatus'], string> = {
  unlinked: 'gray',
  resolving: 'blue',
  linked: 'violet',
  needs_attention: 'orange',
};

export function Roles() {
  return <ClientRequired title="Roles">{(client) => <RoleList key={client.id} client={client} />}</ClientRequired>;
}

function RoleList({ client }: { client: ClientSummary }) {
  const clientId = client.id;
  const loadRoles = useCallback(() => api.roles.list({ clientId }), [clientId]);
  const loadJobs = useCallback(() => api.ashby.jobs({ clientId }), [clientId]);
  const [roles, reloadRoles] = useCall(loadRoles);
  const [jobs, reloadJobs] = useCall(loadJobs);
  const { tasks } = useTasks();
  const { navigate } = useNavigation();

  const clientTasks = useMemo(
    () => (tasks.status === 'ready' ? tasks.value.filter((task) => task.clientId === clientId) : []),
    [tasks, clientId],
  );
  // Roles change when a task of this client finishes (links resolved, candidates pushed).
  const finishedKey = clientTasks.filter((task) => FINISHED_STATES.has(task.state)).map((task) => `${task.id}:${task.state}`).join(',');
  useEffect(() => {
    reloadRoles();
  }, [finishedKey, reloadRoles]);

  return (
    <Stack data-testid="roles" data-ready={roles.status === 'ready' ? 'true' : 'false'}>
      <Group justify="space-between">
        <Title order={2}>{client.name} · roles</Title>
        <Button variant="light" onClick={() => navigate('import')}>
          Import a pipeline export
        </Button>
      </Group>
      {roles.status === 'loading' && <Loader aria-label="Loading roles" />}
      {roles.status === 'error' && <ErrorAlert error={roles.error} onRetry={reloadRoles} />}
      {jobs.status === 'error' && <ErrorAlert error={jobs.error} onRetry={reloadJobs} />}
      {roles.status === 'ready' && roles.value.length === 0 && (
        <Text>No roles yet: import the client's pipeline export to bring in its roles and candidates.</Text>
      )}
      {roles.status === 'ready' &&
        roles.value.map((role) => (
          <RoleCard
            // A new link (or unlink) starts the card afresh, with the linked job selected.
            key={`${role.id}:${role.ashbyJobId ?? ''}`}
            clientId={clientId}
            role={role}
            jobs={jobs}
            tasks={clientTasks.filter((task) => task.roleId === role.id)}
            onChanged={reloadRoles}
          />
        ))}
    </Stack>
  );
}

function RoleCard(props: {
  clientId: number;
  role: RoleSummary;
  jobs: CallState<AshbyJob[]>;
  tasks: LiveTask[];
  onChanged(): void;
}) {
  const { clientId, role, jobs, tasks, onChanged } = props;
  const { navigate } = useNavigation();
  const [jobId, setJobId] = useState<string | null>(role.ashbyJobId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [plan, setPlan] = useState<BulkPushPlan | null>(null);
  const [showMapping, setShowMapping] = useState(false);
  const running = tasks.filter((task) => task.state === 'running' || task.state === 'paused');

  const call = async <T,>(request: () => Promise<import('../../../shared/result.js').Result<T>>, after?: (value: T) => void) => {
    setBusy(true);
    setError(null);
    const result = await request();
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    after?.(result.value);
    onChanged();
  };

  const jobOptions =
    jobs.status === 'ready'
      ? jobs.value.map((job) => ({
          value: job.id,
          label: `${job.title}${job.status === 'Open' ? '' : ` (${job.status})`}${job.confidential ? ' · confidential' : ''}`,
        }))
      : [];

  return (
    <Card withBorder data-testid="role-card" data-role-title={role.title} data-link-status={role.linkStatus}>
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text fw={600}>{role.title}</Text>
          <Text size="xs" c="dimmed">
            {plural(role.candidates, 'candidate')} · {role.byAshbyStatus.linked} linked in Ashby
            {role.byAshbyStatus.in_ashby_not_on_job > 0 ? ` · ${role.byAshbyStatus.in_ashby_not_on_job} in Ashby, not on this job` : ''} ·{' '}
            {role.byAshbyStatus.not_in_ashby} not in Ashby
            {role.byAshbyStatus.needs_attention > 0 ? ` · ${role.byAshbyStatus.needs_attention} need attention` : ''}
          </Text>
        </div>
        <Badge color={LINK_STATUS_COLORS[role.linkStatus]}>{LINK_STATUS_LABELS[role.linkStatus]}</Badge>
      </Group>
      {role.linkStatusReason && (
        <Alert color="orange" mt="xs" variant="light">
          {role.linkStatusReason}
        </Alert>
      )}
      <Group mt="sm" align="flex-end">
        <Select
          label="Ashby job"
          aria-label={`Ashby job for ${role.title}`}
          data={jobOptions}
          value={jobId}
          onChange={setJobId}
          searchable
          nothingFoundMessage="No job matches"
          placeholder={jobs.status === 'loading' ? 'Loading jobs from Ashby…' : 'Search the client\'s jobs'}
          disabled={jobs.status !== 'ready' || role.ashbyJobId !== null}
          w={340}
        />
        {role.ashbyJobId === null ? (
          <Button
            disabled={jobId === null}
            loading={busy}
            onClick={() => jobId && void call(() => api.roles.link({ clientId, roleId: role.id, jobId }))}
          >
            Link
          </Button>
        ) : (
          <Button variant="default" loading={busy} onClick={() => void call(() => api.roles.unlink({ clientId, roleId: role.id }))}>
            Unlink
          </Button>
        )}
        <Button variant="light" onClick={() => navigate('pipeline', { roleId: role.id })}>
          Open pipeline
        </Button>
        {role.ashbyJobId !== null && (
          <>
            <Button variant="subtle" onClick={() => setShowMapping((value) => !value)} aria-expanded={showMapping}>
              {showMapping ? 'Hide stage mapping' : 'Stage mapping'}
            </Button>
            <Button
              color="violet"
              loading={busy}
              onClick={() => void call(() => api.push.plan({ clientId, roleId: role.id }), setPlan)}
            >
              Push candidates to Ashby
            </Button>
          </>
        )}
      </Group>
      {running.length > 0 && (
        <Stack gap="xs" mt="sm">
          {running.map((task) => (
            <TaskProgressBar key={task.id} task={task} />
          ))}
        </Stack>
      )}
      {error && (
        <Stack mt="sm">
          <ErrorAlert error={error} />
        </Stack>
      )}
      {showMapping && <MappingTable clientId={clientId} roleId={role.id} linkStatus={role.linkStatus} />}
      <PushConfirmation
        plan={plan}
        role={role}
        busy={busy}
        onClose={() => setPlan(null)}
        onConfirm={() => void call(() => api.push.bulkStart({ clientId, roleId: role.id }), () => setPlan(null))}
      />
    </Card>
  );
}

function PushConfirmation(props: {
  plan: BulkPushPlan | null;
  role: RoleSummary;
  busy: boolean;
  onClose(): void;
  onConfirm(): void;
}) {
  const { plan, role } = props;
  return (
    <Modal opened={plan !== null} onClose={props.onClose} title={`Push ${role.title} to Ashby`}>
      {plan && (
        <Stack data-testid="push-confirmation" data-total={plan.total}>
          {plan.blocked ? (
            <Alert color="red" title="Cannot push">
              {plan.blocked}
            </Alert>
          ) : (
            <Text>
              <strong>{plan.total}</strong> {plan.total === 1 ? 'candidate' : 'candidates'} will be pushed
              {plan.total > 0 ? ':' : '.'}
            </Text>
          )}
          {Object.keys(plan.byEvent).length > 0 && (
            <List size="sm" aria-label="Candidates by event">
              {Object.entries(plan.byEvent).map(([event, count]) => (
                <List.Item key={event}>
                  {EVENT_LABELS[event as keyof typeof EVENT_LABELS]}: {count}
                </List.Item>
              ))}
            </List>
          )}
          {plan.excluded.length > 0 && (
            <>
              <Text size="sm" fw={500}>
                Not pushed:
              </Text>
              <List size="sm" aria-label="Candidates left out and why">
                {plan.excluded.map((entry) => (
                  <List.Item key={entry.reason}>
                    {entry.reason.charAt(0).toUpperCase() + entry.reason.slice(1)}: {plural(entry.count, 'candidate')}
                  </List.Item>
                ))}
              </List>
            </>
          )}
          <Text size="xs" c="dimmed">
            {AUTOMATIONS_NOTE}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button color="violet" loading={props.busy} disabled={plan.blocked !== null || plan.total === 0} onClick={props.onConfirm}>
              Push {plural(plan.total, 'candidate')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function MappingTable({ clientId, roleId, linkStatus }: { clientId: number; roleId: number; linkStatus: string }) {
  const load = useCallback(() => api.roles.mapping({ clientId, roleId }), [clientId, roleId]);
  const [mapping, reload] = useCall(load);
  const [override, setOverride] = useState<StageMapping | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  useEffect(() => reload(), [linkStatus, reload]);

  if (mapping.status === 'loading') return <Loader size="sm" mt="sm" aria-label="Loading the stage mapping" />;
  if (mapping.status === 'error') return <ErrorAlert error={mapping.error} onRetry={reload} />;
  const current = override ?? mapping.value;
  const stageOptions = current.stages.map((stage) => ({ value: stage.id, label: `${stage.title} (${stage.type})` }));

  const setStage = async (event: StageMapping['events'][number]['event'], stageId: string | null) => {
    setError(null);
    const result = await api.roles.setOverride({ clientId, roleId, event, stageId });
    if (result.ok) setOverride(result.value);
    else setError(result.error);
  };

  return (
    <Stack mt="sm" data-testid="stage-mapping">
      {!current.planKnown && <Text size="sm">The job's interview plan has not been read yet; it is read when link resolution runs.</Text>}
      <Table striped withTableBorder aria-label="Event to stage mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Event</Table.Th>
            <Table.Th>Stage in Ashby</Table.Th>
            <Table.Th>Override</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {current.events.map((entry) => (
            <Table.Tr key={entry.event} data-needs-attention={entry.enabled && entry.stage === null ? 'true' : 'false'}>
              <Table.Td>
                {EVENT_LABELS[entry.event]}
                {!entry.enabled && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    (off)
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {entry.stage ? (
                  `${entry.stage.title}${entry.source === 'override' ? ' (chosen by an admin)' : ''}`
                ) : (
                  <Badge color="orange" variant="light">
                    Needs attention: {entry.problem ?? 'no stage'}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {(entry.stage === null || entry.source === 'override') && stageOptions.length > 0 ? (
                  <Select
                    size="xs"
                    aria-label={`Stage for ${EVENT_LABELS[entry.event]}`}
                    data={stageOptions}
                    value={entry.source === 'override' ? (entry.stage?.id ?? null) : null}
                    onChange={(value) => void setStage(entry.event, value)}
                    clearable
                    clearButtonProps={{ 'aria-label': `Clear the stage for ${EVENT_LABELS[entry.event]}` }}
                    placeholder="Choose a stage"
                  />
                ) : (
                  <Text size="xs" c="dimmed">
                    From the plan
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {error && <ErrorAlert error={error} />}
    </Stack>
  );
}
