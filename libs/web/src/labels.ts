import { catalogues, t } from '#docket/i18n';

/**
 * Labels and select options whose texts are catalogue keys, read when a page uses them, so that module-level
 * tables (`TYPE_LABELS[type]`, `PRIORITY_OPTIONS`) speak the language of the request that shows them.
 */
export interface Option {
  value: string;
  label: string;
}

/** `{ value: key }` read as `{ value: t(prefix + value) }`; a value not listed reads as undefined. */
export function labelsOf(prefix: string, values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values)
    Object.defineProperty(labels, value, { get: () => t(`${prefix}${value}`), enumerable: true });
  return labels;
}

/** `{ field: key }` read as `{ field: t(key) }`: messages by form field, in the language of the page. */
export function keyedLabels(keys: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [field, key] of Object.entries(keys))
    Object.defineProperty(labels, field, { get: () => t(key), enumerable: true });
  return labels;
}

/** Options of a select, each label a catalogue key. */
export function optionsOf(entries: readonly (readonly [value: string, key: string])[]): Option[] {
  return entries.map(([value, key]) =>
    Object.defineProperty({ value } as Option, 'label', { get: () => t(key), enumerable: true }),
  );
}

/** Options whose labels are the keys `prefix + value`. */
export const prefixedOptions = (prefix: string, values: readonly string[]): Option[] =>
  optionsOf(values.map((value) => [value, `${prefix}${value}`] as const));

/**
 * A template's description in the page's language: Docket's own templates carry an English one in their manifest,
 * translated in the catalogue (`templates.builtIn.<key>`); a description an admin has written is shown as written.
 */
export function templateDescription(template: { key: string; description: string }): string {
  const key = `templates.builtIn.${template.key}`;
  return catalogues().source('en', key) === template.description ? t(key) : template.description;
}
