// Count phrases for the screens ("1 candidate", "3 candidates").

/** Returns `count` followed by the singular or plural noun; the plural defaults to `singular + 's'`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
