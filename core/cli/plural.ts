// Counts in CLI messages: "1 item", "2 items".

/** Returns the count followed by the singular or plural noun, e.g. `countOf(1, 'item')` is "1 item". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
