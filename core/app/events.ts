// Typed in-process emitter for the contract's push events. The engine emits; Electron main and
// the browser host forward every event to the renderer.
import { events, type EventName, type EventPayload } from '../../shared/contract/index.js';

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;
export type AnyEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface AppEvents {
  /** Validates `payload` against the event's schema and delivers it to every listener. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Adds a listener for one event; returns a function that removes it. */
  on<E extends EventName>(name: E, listener: EventListener<E>): () => void;
  /** Adds a listener for every event (used by the transports); returns a function that removes it. */
  onAny(listener: AnyEventListener): () => void;
}

export interface EventErrorSink {
  error(object: object, message: string): void;
}

/**
 * Creates the emitter. A payload that fails its schema is a bug in the emitting code, so it is
 * logged and not delivered (a renderer must never see a payload the contract does not describe).
 * A listener that throws is logged and does not stop delivery to the others.
 */
export function createAppEvents(logger: EventErrorSink): AppEvents {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const anyListeners = new Set<AnyEventListener>();

  function deliver(name: EventName, call: () => void): void {
    try {
      call();
    } catch (error) {
      logger.error({ event: name, err: error }, 'push event listener failed');
    }
  }

  return {
    emit(name, payload) {
      const parsed = events[name].safeParse(payload);
      if (!parsed.success) {
        logger.error(
          { event: name, issues: parsed.error.issues },
          'push event payload is invalid; not sent',
        );
        return;
      }
      const value = parsed.data as EventPayload<typeof name>;
      for (const listener of listeners.get(name) ?? []) deliver(name, () => listener(value));
      for (const listener of anyListeners) deliver(name, () => listener(name, value));
    },

    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },

    onAny(listener) {
      anyListeners.add(listener);
      return () => anyListeners.delete(listener);
    },
  };
}
