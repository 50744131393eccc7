// Shows one contract error: its title, the plain message from the core, and its one action.
import { Alert, Button } from '@mantine/core';
import type { ErrorPayload } from '../../../shared/errors.js';
import { presentError } from '../errors.js';

export function ErrorAlert({ error, onRetry }: { error: ErrorPayload; onRetry?: () => void }) {
  const shown = presentError(error);
  return (
    <Alert color="red" title={shown.title} role="alert" data-error-code={error.code}>
      {shown.message}
      {shown.action === 'retry' && onRetry && (
        <Button mt="sm" size="xs" variant="light" onClick={onRetry}>
          Retry
        </Button>
      )}
      {shown.action === 'reload' && (
        <Button mt="sm" size="xs" variant="light" onClick={() => window.location.reload()}>
          Reload
        </Button>
      )}
    </Alert>
  );
}
