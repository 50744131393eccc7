// A small hook for loading data through the contract, with an explicit state per call so screens
// can render loading, error and ready states (and e2e tests can wait for `data-ready`).
import { useCallback, useEffect, useState } from 'react';
import type { ErrorPayload } from '../../../shared/errors.js';
import type { Result } from '../../../shared/result.js';

export type CallState<T> =
  { status: 'loading' } | { status: 'error'; error: ErrorPayload } | { status: 'ready'; value: T };

/**
 * Runs `call` on mount and whenever `reload()` is called. `call` must be stable (wrap it in
 * useCallback or define it outside the component), or it runs on every render.
 */
export function useCall<T>(call: () => Promise<Result<T>>): [CallState<T>, () => void] {
  const [state, setState] = useState<CallState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    void call().then((result) => {
      if (!current) return;
      setState(
        result.ok
          ? { status: 'ready', value: result.value }
          : { status: 'error', error: result.error },
      );
    });
    return () => {
      current = false;
    };
  }, [call, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return [state, reload];
}
