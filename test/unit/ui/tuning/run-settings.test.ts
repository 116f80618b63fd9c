import { expect, test } from 'vitest';
import { parseSettingNumber, runSteps } from '../../../../src/ui/features/tuning/run-settings-store.ts';

test('a settings number out of range or not a number gets a message naming the range', () => {
  expect(parseSettingNumber('8', 1, 256)).toEqual({ ok: true, value: 8 });
  expect(parseSettingNumber('0', 1, 256)).toEqual({ ok: false, message: 'Must be between 1 and 256; the last valid value is kept.' });
  expect(parseSettingNumber('300', 1, 256)).toMatchObject({ ok: false });
  expect(parseSettingNumber('', 0)).toEqual({ ok: false, message: 'Enter a number at least 0.' });
  expect(parseSettingNumber('-1', 0)).toEqual({ ok: false, message: 'Must be at least 0; the last valid value is kept.' });
  expect(parseSettingNumber('2e-4', 1e-7, 1)).toEqual({ ok: true, value: 2e-4 });
});

test('a run given in epochs takes enough batches for them, the last partial; a run in steps takes its steps', () => {
  expect(runSteps({ length: 'steps', steps: 40, epochs: 3 }, 10, 4)).toBe(40);
  expect(runSteps({ length: 'epochs', steps: 40, epochs: 3 }, 10, 4)).toBe(8); // 30 examples' worth: 7.5 batches
  expect(runSteps({ length: 'epochs', steps: 40, epochs: 1 }, 8, 4)).toBe(2);
  expect(runSteps({ length: 'epochs', steps: 40, epochs: 0.01 }, 8, 4)).toBe(1);
});

test('a whole-number setting refuses a fraction, with the reason', () => {
  expect(parseSettingNumber('2.5', 1, 100, true)).toEqual({ ok: false, message: 'Must be a whole number; the last valid value is kept.' });
  expect(parseSettingNumber('x', 1, 100, true)).toEqual({ ok: false, message: 'Enter a whole number between 1 and 100.' });
  expect(parseSettingNumber('3', 1, 100, true)).toEqual({ ok: true, value: 3 });
});
