// The typed push-event emitter that the transports forward to the renderer.
import { describe, expect, it } from 'vitest';
import { createAppEvents } from '../../../core/app/events.js';
import type { EventPayload } from '../../../shared/contract/index.js';

function recordingSink() {
  const errors: Array<{ object: object; message: string }> = [];
  return {
    errors,
    sink: { error: (object: object, message: string) => errors.push({ object, message }) },
  };
}

const STATUS: EventPayload<'client:status'> = {
  clientId: 3,
  status: 'disconnected',
  reason: 'key rejected',
};

describe('app events', () => {
  it('delivers a valid event to its listeners', () => {
    const { sink } = recordingSink();
    const events = createAppEvents(sink);
    const received: unknown[] = [];
    const forwarded: unknown[] = [];
    events.on('client:status', (payload) => received.push(payload));
    events.onAny((name, payload) => forwarded.push([name, payload]));

    events.emit('client:status', STATUS);

    expect(received).toEqual([STATUS]);
    expect(forwarded).toEqual([['client:status', STATUS]]);
  });

  it('drops and logs an invalid payload', () => {
    const { errors, sink } = recordingSink();
    const events = createAppEvents(sink);
    const received: unknown[] = [];
    events.onAny((name, payload) => received.push([name, payload]));

    events.emit('queue:counts', {
      clientId: 1,
      pending: -1,
    } as unknown as EventPayload<'queue:counts'>);

    expect(received).toEqual([]);
    expect(errors[0]?.object).toMatchObject({ event: 'queue:counts' });
  });

  it('stops delivery after unsubscribe', () => {
    const { sink } = recordingSink();
    const events = createAppEvents(sink);
    const received: unknown[] = [];
    const stop = events.on('client:status', (payload) => received.push(payload));

    stop();
    events.emit('client:status', STATUS);

    expect(received).toEqual([]);
  });

  it('keeps delivering when a listener throws', () => {
    const { errors, sink } = recordingSink();
    const events = createAppEvents(sink);
    const received: unknown[] = [];
    events.on('client:status', () => {
      throw new Error('listener bug');
    });
    events.on('client:status', (payload) => received.push(payload));

    events.emit('client:status', STATUS);

    expect(received).toEqual([STATUS]);
    expect(errors).toHaveLength(1);
  });
});
