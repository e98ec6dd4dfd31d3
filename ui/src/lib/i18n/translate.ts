// Pure lookups in the two catalogues. Components use the reactive wrappers in
// `language.svelte.ts`; everything here takes the language as an argument so
// it can be tested without a running app.
import type { Language } from '../bindings';

export type Catalogue = Readonly<Record<string, string>>;

type CatalogueFiles = Record<string, Catalogue>;

// Each language's catalogue is split by area of the app (common.json,
// attendance.json, ...) so each area keeps its own texts; the parts are merged
// here. A key defined in two parts is caught by catalogue.test.ts.
const idParts: CatalogueFiles = import.meta.glob('../../i18n/id/*.json', { eager: true, import: 'default' });
const enParts: CatalogueFiles = import.meta.glob('../../i18n/en/*.json', { eager: true, import: 'default' });

export const catalogueParts: Readonly<Record<Language, CatalogueFiles>> = { id: idParts, en: enParts };

function merge(parts: CatalogueFiles): Catalogue {
  return Object.assign({}, ...Object.keys(parts).sort().map((path) => parts[path]));
}

const id = merge(idParts);
const en = merge(enParts);
export type Params = Readonly<Record<string, string | number>>;

export const catalogues: Readonly<Record<Language, Catalogue>> = { id, en };

export const LANGUAGES: readonly Language[] = ['id', 'en'];

function hasKey(language: Language, key: string): boolean {
  return Object.hasOwn(catalogues[language], key);
}

/**
 * The text for `key` with every `{name}` replaced by `params.name`. A missing
 * key shows itself, so it stands out; a test keeps that from shipping.
 */
export function translate(language: Language, key: string, params: Params = {}): string {
  const text = catalogues[language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : placeholder,
  );
}

/** A top-level error code (`ErrorReply.code`) as a sentence for the user. */
export function errorText(language: Language, code: string): string {
  const key = `error.${code}`;
  return translate(language, hasKey(language, key) ? key : 'error.unexpected');
}

/** A field error code (`FieldError.code`) as a short message for that field. */
export function fieldErrorText(language: Language, code: string): string {
  const key = `error.field.${code}`;
  return translate(language, hasKey(language, key) ? key : 'error.field.invalid');
}

/** The part of a meeting a change-log entry is about (`usulan`, ...). */
export function changeEntityText(language: Language, entity: string): string {
  const key = `change.entity.${entity}`;
  return translate(language, hasKey(language, key) ? key : 'change.entity.other');
}

/** A recorded field's name: its form label where one exists, else the name itself. */
export function fieldLabelText(language: Language, field: string): string {
  const key = `field.${field}`;
  return hasKey(language, key) ? translate(language, key) : field;
}

/** A change-log action (`created`, `updated`, ...) as a word. */
export function changeActionText(language: Language, action: string): string {
  const key = `change.${action}`;
  return translate(language, hasKey(language, key) ? key : 'change.other');
}
