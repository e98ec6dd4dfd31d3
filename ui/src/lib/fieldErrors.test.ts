import { describe, expect, it } from 'vitest';
import { placeErrors } from './fieldErrors';

const isField = (field: string) => ['name', 'gender'].includes(field);

describe('placeErrors', () => {
  it('puts the first error of each field beside it', () => {
    const placed = placeErrors(
      {
        code: 'validation',
        fields: [
          { field: 'name', code: 'required' },
          { field: 'name', code: 'too_long' },
          { field: 'gender', code: 'gender_unknown' },
        ],
      },
      isField,
    );
    expect(placed).toEqual({ fields: { name: 'required', gender: 'gender_unknown' }, unplaced: false });
  });

  it('says what no field shows above the form', () => {
    expect(placeErrors({ code: 'already_checked_in', fields: [] }, isField)).toEqual({ fields: {}, unplaced: true });
    expect(placeErrors({ code: 'validation', fields: [{ field: 'person_id', code: 'is_delegate' }] }, isField)).toEqual({
      fields: {},
      unplaced: true,
    });
  });
});
