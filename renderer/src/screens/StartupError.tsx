// Shown instead of the console when the core could not open the data folder (a database from a
// newer version, a damaged file, no keychain). The message from the core names the file and the fix.
import { Center, Paper, Stack, Title } from '@mantine/core';
import type { ErrorPayload } from '../../../shared/errors.js';
import { ErrorAlert } from '../shell/ErrorAlert.js';

export function StartupError({ error }: { error: ErrorPayload }) {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={640} data-testid="startup-error" data-ready="true">
        <Stack>
          <Title order={1} size="h3">
            Ashby Sync Console could not start
          </Title>
          <ErrorAlert error={error} />
        </Stack>
      </Paper>
    </Center>
  );
}
