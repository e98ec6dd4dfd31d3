// The current interface language and the text helpers components use. Reading
// any of them inside a component re-renders it when the language changes.
import type { DateText, Language, Stage, StageNames } from '../bindings';
import * as pure from './translate';
import { loadCatalogue, type Params } from './translate';
import { areaNumber } from '../wilayah';

let current = $state<Language>('id');
// The language last asked for: when two switches overlap, the later one wins.
let wanted: Language = 'id';
// The city's own names for the stages, from the settings; none means the usual name.
let stageNames = $state<StageNames>({ rembug_warga: null, musrenbang_kelurahan: null });

export function language(): Language {
  return current;
}

/**
 * Loads the language's catalogue if it is not loaded yet, then switches every
 * visible text and `<html lang>` at once: the old texts stay until the new
 * ones are there. Rejects if the catalogue cannot be loaded.
 */
export async function applyLanguage(next: Language): Promise<void> {
  wanted = next;
  await loadCatalogue(next);
  if (wanted !== next) return;
  current = next;
  document.documentElement.lang = next;
}

/** Uses the city's stage names from now on (at start and after settings are saved). */
export function applyStageNames(names: StageNames): void {
  stageNames = names;
}

/** A stage as this city calls it, else the usual name in the current language. */
export function stageText(stage: Stage): string {
  return stageNames[stage] ?? t(`stage.${stage}`);
}

export function t(key: string, params?: Params): string {
  return pure.translate(current, key, params);
}

export function errorText(code: string): string {
  return pure.errorText(current, code);
}

export function fieldErrorText(code: string): string {
  return pure.fieldErrorText(current, code);
}

export function changeEntityText(entity: string): string {
  return pure.changeEntityText(current, entity);
}

export function fieldLabelText(field: string): string {
  return pure.fieldLabelText(current, field);
}

export function changeActionText(action: string): string {
  return pure.changeActionText(current, action);
}

/** "Melong, RW 5", or the kelurahan alone for a kelurahan-level meeting. */
export function areaText(kelurahanName: string, rw: number | null): string {
  return rw === null ? kelurahanName : t('meeting.area_rw', { kelurahan: kelurahanName, rw: areaNumber(rw) });
}

/**
 * A date, time of day or instant in the current language, as the core wrote
 * it (views carry each in both languages, so switching needs no reload).
 */
export function dateText(text: DateText): string {
  return text[current];
}
