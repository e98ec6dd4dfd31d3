import { describe, expect, it, vi } from 'vitest';
import { FormRefusal } from './formRefusal.svelte';

const isField = (field: string) => ['rw', 'place'].includes(field);

describe('FormRefusal', () => {
  it('puts each refused field beside it, in words, and focuses the first', async () => {
    const refusal = new FormRefusal(isField);
    const focus = vi.fn();
    const form = { querySelector: vi.fn(() => ({ focus })) } as unknown as HTMLElement;
    await refusal.show(
      { code: 'validation', fields: [{ field: 'rw', code: 'rw_out_of_range' }, { field: 'place', code: 'required' }] },
      form,
    );
    expect(refusal.fields).toEqual({ rw: 'rw_out_of_range', place: 'required' });
    expect(refusal.failure).toBeNull();
    expect(refusal.message('place')).toBe('Wajib diisi.');
    expect(refusal.message('facilitator')).toBeUndefined();
    expect(focus).toHaveBeenCalledOnce();
  });

  it('says above the form what no field shows, and forgets it all when cleared', async () => {
    const refusal = new FormRefusal(isField);
    await refusal.show({ code: 'meeting_locked', fields: [] }, undefined);
    expect(refusal.failure).toEqual({ code: 'meeting_locked', fields: [] });
    await refusal.show(new Error('the shell failed'), undefined);
    expect(refusal.failure).toEqual({ code: 'unexpected', fields: [] });
    refusal.clear();
    expect(refusal.fields).toEqual({});
    expect(refusal.failure).toBeNull();
  });
});
