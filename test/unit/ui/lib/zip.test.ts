import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { zipFiles } from '../../../../src/ui/lib/zip.ts';

describe('zipFiles', () => {
  it('writes each file under its name, text as UTF-8 and bytes as given', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const archive = zipFiles({ 'a/config.json': '{"r": 8, "naïve": "ü"}', 'a/weights.bin': bytes });
    const back = unzipSync(archive);
    expect(Object.keys(back).sort()).toEqual(['a/config.json', 'a/weights.bin']);
    expect(strFromU8(back['a/config.json']!)).toBe('{"r": 8, "naïve": "ü"}');
    expect([...back['a/weights.bin']!]).toEqual([0, 1, 2, 255]);
  });
});
