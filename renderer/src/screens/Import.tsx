// Import a pipeline export into the selected client: a path (or the demo sample), a preview with
// per-row errors and what would change, then the import with progress.
import { Alert, Button, Card, Group, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ClientSummary, ImportPreview, ImportProgress, ImportResult, RejectedRow } from '../../../shared/contract/index.js';
import type { ErrorPayload } from '../../../shared/errors.js';
import { api, subscribe, transportKind } from '../api/transport.js';
import { useCall } from '../api/use-call.js';
import { ClientRequired } from '../components/ClientRequired.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';
import { useNavigation } from '../state/navigation.js';
import { plural } from '../components/plural.js';

export function Import() {
  return <ClientRequired title="Import">{(client) => <ImportForm key={client.id} client={client} />}</ClientRequired>;
}

function ImportForm({ client }: { client: ClientSummary }) {
  const clientId = client.id;
  const { navigate } = useNavigation();
  const loadSample = useCallback(() => api.import.sample({ clientId }), [clientId]);
  const [sample] = useCall(loadSample);
  const [file, setFile] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  useEffect(() => {
    let latest: ImportProgress | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Progress arrives every 1,000 rows; render it at most four times a second.
    return subscribe('import:progress', (event) => {
      if (event.clientId !== clientId) return;
      latest = event;
      timer ??= setTimeout(() => {
        timer = null;
        setProgress(latest);
      }, 250);
    });
  }, [clientId]);

  const runPreview = async (path: string) => {
    setBusy('preview');
    setError(null);
    setResult(null);
    const answer = await api.import.preview({ clientId, file: path });
    setBusy(null);
    if (answer.ok) setPreview(answer.value);
    else {
      setPreview(null);
      setError(answer.error);
    }
  };

  const runImport = async () => {
    setBusy('import');
    setError(null);
    setProgress(null);
    const answer = await api.import.run({ clientId, file });
    setBusy(null);
    if (answer.ok) setResult(answer.value);
    else setError(answer.error);
  };

  const percent = progress && progress.totalBytes > 0 ? Math.round((progress.bytesRead / progress.totalBytes) * 100) : 0;
  const sampleFile = sample.status === 'ready' ? sample.value.file : null;

  return (
    <Stack data-testid="import" data-ready={busy === null ? 'true' : 'false'} maw={960}>
      <Title order={2}>{client.name} · import a pipeline export</Title>
      <Text size="sm" c="dimmed">
        A Jack &amp; Jill pipeline export in JSON or CSV. Importing again later is safe: unchanged rows
        stay as they are, and a changed pipeline state queues the matching event.
      </Text>
      <Group align="flex-end">
        <TextInput
          label="Export file"
          description="Full path of the file on this computer."
          placeholder="/home/me/exports/pipeline.json"
          value={file}
          onChange={(event) => setFile(event.currentTarget.value)}
          w={520}
        />
        {transportKind === 'electron' && (
          <Button
            variant="default"
            onClick={() =>
              void api.import.chooseFile().then((chosen) => {
                if (!chosen.ok) setError(chosen.error);
                else if (chosen.value.file !== null) {
                  setFile(chosen.value.file);
                  void runPreview(chosen.value.file);
                }
              })
            }
          >
            Choose file…
          </Button>
        )}
        <Button variant="default" disabled={file.trim() === ''} loading={busy === 'preview'} onClick={() => void runPreview(file)}>
          Preview
        </Button>
        {sampleFile && (
          <Button
            variant="light"
            onClick={() => {
              setFile(sampleFile);
              void runPreview(sampleFile);
            }}
          >
            Use the sample export
          </Button>
        )}
      </Group>
      {error && <ErrorAlert error={error} />}

      {preview && !result && (
        <Card withBorder data-testid="import-preview" data-rows={preview.rows} data-rejected={preview.rowsRejected}>
          <Text fw={600}>
            {plural(preview.rows, 'row')} in {plural(preview.roles.length, 'role')} ({preview.format.toUpperCase()}) ·{' '}
            {plural(preview.rowsRejected, 'row')} with errors
          </Text>
          {preview.changes && (
            <Text size="sm" mt={4}>
              Would create {plural(preview.changes.rolesCreated, 'role')} and {plural(preview.changes.candidatesCreated, 'candidate')},
              update {preview.changes.candidatesUpdated}, leave {preview.changes.unchanged} unchanged and queue{' '}
              {plural(preview.changes.eventsFired, 'event')}.
            </Text>
          )}
          <Text size="sm" mt={4}>
            Roles: {preview.roles.map((role) => `${role.title} (${role.candidates})`).join(', ')}
          </Text>
          {preview.rejected.length > 0 && <RejectedTable rows={preview.rejected} />}
          <Group mt="md">
            <Button loading={busy === 'import'} onClick={() => void runImport()}>
              Import {plural(preview.rows - preview.rowsRejected, 'row')}
            </Button>
          </Group>
          {busy === 'import' && (
            <Progress mt="sm" value={percent} animated aria-label={`Import progress: ${percent}%`} />
          )}
        </Card>
      )}

      {result && (
        <Card withBorder data-testid="import-result" data-created={result.candidatesCreated}>
          <Alert color={result.rowsRejected > 0 ? 'yellow' : 'teal'} title="Import finished">
            {plural(result.candidatesCreated, 'candidate')} created, {result.candidatesUpdated} updated, {result.unchanged} unchanged,{' '}
            {plural(result.rolesCreated, 'role')} created, {plural(result.eventsFired, 'event')} queued.{' '}
            {result.rowsRejected === 1 ? '1 row was' : `${result.rowsRejected} rows were`} rejected.
          </Alert>
          {result.rejected.length > 0 && <RejectedTable rows={result.rejected} />}
          <Group mt="md">
            <Button onClick={() => navigate('roles')}>Link roles to Ashby jobs</Button>
          </Group>
        </Card>
      )}
    </Stack>
  );
}

function RejectedTable({ rows }: { rows: RejectedRow[] }) {
  return (
    <Table mt="sm" striped withTableBorder aria-label="Rows with errors" data-testid="rejected-rows">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Where</Table.Th>
          <Table.Th>Field</Table.Th>
          <Table.Th>Value</Table.Th>
          <Table.Th>Problem</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, index) => (
          <Table.Tr key={`${row.line ?? row.path ?? ''}-${row.field}-${index}`}>
            <Table.Td>{row.line !== null ? `line ${row.line}` : (row.path ?? '—')}</Table.Td>
            <Table.Td>{row.field}</Table.Td>
            <Table.Td>{row.value ?? '(missing)'}</Table.Td>
            <Table.Td>{row.reason}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
