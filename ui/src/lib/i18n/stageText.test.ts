import { afterEach, describe, expect, it } from 'vitest';
import { catalogues } from './translate';
import { applyStageNames, stageText } from './language.svelte';

describe('stageText', () => {
  afterEach(() => applyStageNames({ rembug_warga: null, musrenbang_kelurahan: null }));

  it("uses the city's own name for a stage where the settings give one, else the usual name", () => {
    applyStageNames({ rembug_warga: 'Rembuk RW', musrenbang_kelurahan: null });
    expect(stageText('rembug_warga')).toBe('Rembuk RW');
    expect(stageText('musrenbang_kelurahan')).toBe(catalogues.id['stage.musrenbang_kelurahan']);
  });

  it('shows the usual names when the settings name none', () => {
    expect(stageText('rembug_warga')).toBe(catalogues.id['stage.rembug_warga']);
  });
});
