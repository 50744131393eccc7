import { useState } from 'react';

/**
 * Returns true during the render in which `value` differs from the previous render's value.
 *
 * Lets a component reset state that depends on a prop while it renders, instead of in an effect
 * that renders twice (React's "adjusting some state when a prop changes" pattern).
 */
export function useChanged<T>(value: T): boolean {
  const [previous, setPrevious] = useState(value);
  if (Object.is(previous, value)) return false;
  setPrevious(value);
  return true;
}
