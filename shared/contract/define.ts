// Building blocks for the contract modules. Kept apart from index.ts so that domain modules can
// import them without a cycle through the merged map.
import type { z } from 'zod';

/**
 * One request/response channel. Inputs are always strict zod objects (`z.strictObject`), so a
 * payload that is not an object, misses a field or carries an unknown one is rejected.
 */
export interface ChannelSpec {
  input: z.ZodObject;
  output: z.ZodType;
}

/** A domain module's channels, keyed `domain:verb`. */
export type ChannelMap = Record<`${string}:${string}`, ChannelSpec>;

/** A domain module's push events, keyed `domain:noun`, each with its payload schema. */
export type EventMap = Record<`${string}:${string}`, z.ZodType>;
