import { describe, expect, it, vi } from 'vitest';
import { EditForm } from './editForm.svelte';

type Kop = { government: string };

const submitted = () => ({ preventDefault: vi.fn() }) as unknown as SubmitEvent;

describe('EditForm', () => {
  it('loads the form, sends it as typed and shows what the core kept', async () => {
    const save = vi.fn(async (form: Kop) => ({ government: form.government.trim() }));
    const edit = new EditForm<Kop>({ load: async () => ({ government: '' }), save, isField: () => true });
    await edit.load();
    expect(edit.form).toEqual({ government: '' });
    edit.form!.government = ' Pemerintah Kota Cimahi ';
    const event = submitted();
    await edit.submit(event);
    expect(event.preventDefault).toHaveBeenCalledOnce();
    expect(save).toHaveBeenCalledWith({ government: ' Pemerintah Kota Cimahi ' });
    expect(edit.form).toEqual({ government: 'Pemerintah Kota Cimahi' });
    expect(edit.saved).toBe(true);
    expect(edit.saving).toBe(false);
  });

  it('keeps what was typed when refused, each refusal beside its field', async () => {
    const edit = new EditForm<Kop>({
      load: async () => ({ government: '' }),
      save: async () => {
        throw { code: 'validation', fields: [{ field: 'government', code: 'too_long' }] };
      },
      isField: (form, field) => Object.hasOwn(form, field),
    });
    await edit.load();
    edit.form!.government = 'x'.repeat(500);
    await edit.submit(submitted());
    expect(edit.form!.government).toHaveLength(500);
    expect(edit.refusal.fields).toEqual({ government: 'too_long' });
    expect(edit.refusal.failure).toBeNull();
    expect(edit.saved).toBe(false);
    expect(edit.saving).toBe(false);
  });

  it('says above the panel when the form cannot be loaded, and sends nothing', async () => {
    const save = vi.fn();
    const edit = new EditForm<Kop>({
      load: async () => {
        throw { code: 'data_dir_in_use', fields: [] };
      },
      save,
      isField: () => true,
    });
    await edit.load();
    expect(edit.form).toBeNull();
    expect(edit.refusal.failure).toEqual({ code: 'data_dir_in_use', fields: [] });
    await edit.submit(submitted());
    expect(save).not.toHaveBeenCalled();
  });
});
