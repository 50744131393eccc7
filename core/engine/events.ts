// Typed events the engine emits; screens and the CLI only render them.
import { EventEmitter } from 'node:events';
import type { ClientStatus, RunKind, RunStatus } from '../../shared/domain.js';
import type { QueueCounts } from './outbox-store.js';

export interface TaskProgress {
  runId: number;
  kind: RunKind;
  clientId: number;
  roleId: number | null;
  status: RunStatus;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  /** Items finished per second over the last minute. */
  rate: number;
  message: string | null;
}

export interface ClientStatusEvent {
  clientId: number;
  status: ClientStatus;
  reason: string | null;
}

export interface QueueCountsEvent {
  clientId: number;
  counts: QueueCounts;
}

export interface EngineNotice {
  level: 'info' | 'warn' | 'error';
  message: string;
  clientId?: number;
}

export interface EngineEventMap {
  'task:progress': TaskProgress;
  'client:status': ClientStatusEvent;
  'queue:counts': QueueCountsEvent;
  notice: EngineNotice;
}

export interface EngineEvents {
  on<K extends keyof EngineEventMap>(
    event: K,
    listener: (payload: EngineEventMap[K]) => void,
  ): this;
  off<K extends keyof EngineEventMap>(
    event: K,
    listener: (payload: EngineEventMap[K]) => void,
  ): this;
  once<K extends keyof EngineEventMap>(
    event: K,
    listener: (payload: EngineEventMap[K]) => void,
  ): this;
  emit<K extends keyof EngineEventMap>(event: K, payload: EngineEventMap[K]): boolean;
}

export function createEngineEvents(): EngineEvents {
  const emitter = new EventEmitter();
  // Screens, the CLI and tests may all listen at once.
  emitter.setMaxListeners(50);
  return emitter as EngineEvents;
}
