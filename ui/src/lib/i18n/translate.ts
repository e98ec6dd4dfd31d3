// Lookups in the catalogues loaded so far. Components use the reactive
// wrappers in `language.svelte.ts`; everything here takes the language as an
// argument so it can be tested without a running app.
import type { Language } from '../bindings';

export type Catalogue = Readonly<Record<string, string>>;

export type CatalogueFiles = Record<string, Catalogue>;

export type Params = Readonly<Record<string, string | number>>;

export const LANGUAGES: readonly Language[] = ['id', 'en'];

// Each language's catalogue is split by area of the app (common.json,
// attendance.json, ...) so each area keeps its own texts; the parts are merged
// here. A key defined in two parts is caught by catalogue.test.ts.
function merge(parts: CatalogueFiles): Catalogue {
  return Object.assign({}, ...Object.keys(parts).sort().map((path) => parts[path]));
}

// Each language is its own chunk of the build (about 65 kB each), so the
// window loads only the language it shows: the other one is fetched the first
// time the cadre switches to it.
const importers: Record<Language, () => Promise<{ parts: CatalogueFiles }>> = {
  id: () => import('./id'),
  en: () => import('./en'),
};

const loaded: Record<Language, Catalogue> = { id: {}, en: {} };
const loading = new Map<Language, Promise<void>>();

/** The catalogues loaded so far; a language not yet loaded has no texts. */
export const catalogues: Readonly<Record<Language, Catalogue>> = loaded;

/**
 * Loads `language`'s catalogue once; later calls get the same promise. A
 * failed load is forgotten, so the next call tries again.
 */
export function loadCatalogue(language: Language): Promise<void> {
  let pending = loading.get(language);
  if (!pending) {
    pending = importers[language]().then(
      (module) => {
        loaded[language] = merge(module.parts);
      },
      (error: unknown) => {
        loading.delete(language);
        throw error;
      },
    );
    loading.set(language, pending);
  }
  return pending;
}

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
