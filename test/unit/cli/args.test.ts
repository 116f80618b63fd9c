import { describe, expect, test } from 'vitest';
import { oneOf, parseFlags, parseLoraFlag, positiveInt, UsageError } from '../../../cli/args.ts';

describe('--lora', () => {
  test('key=value pairs; targets is a comma list; PEFT defaults for what is omitted', () => {
    expect(parseLoraFlag('r=8,alpha=16,targets=q,k,v,o,gate,up,down')).toEqual({ r: 8, alpha: 16, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], dropout: 0 });
    expect(parseLoraFlag('targets=up,q,r=4')).toEqual({ r: 4, alpha: 8, targets: ['q', 'up'], dropout: 0 });
    expect(parseLoraFlag('r=2')).toEqual({ r: 2, alpha: 8, targets: ['q', 'v'], dropout: 0 });
  });

  test('errors name the flag and what is wrong', () => {
    const error = (value: string | undefined) => {
      try {
        parseLoraFlag(value);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(error(undefined)).toBe('--lora is required (e.g. --lora r=8,alpha=16,targets=q,k,v,o,gate,up,down)');
    expect(error('alpha=16')).toBe('--lora: r is required (the LoRA rank)');
    expect(error('r=8,rank=3')).toBe('--lora: unknown key "rank" (keys: r, alpha, targets, dropout)');
    expect(error('r=x')).toBe('--lora: r=x is not a number');
    expect(error('8,16')).toBe('--lora: "8" is not key=value (e.g. r=8,alpha=16,targets=q,v)');
    expect(error('r=8,targets=q,qkv')).toContain('--lora: field "targets.1"');
    expect(error('r=0')).toContain('--lora: field "r"');
    expect(error('r=4,r=5')).toBe('--lora: "r" is given twice');
  });
});

describe('flags', () => {
  test('unknown flags and bad values are named', () => {
    expect(() => parseFlags(['--bacth', '2'], { batch: { type: 'string' } })).toThrow(new UsageError("Unknown option '--bacth'"));
    expect(() => positiveInt('2.5', '--batch')).toThrow('--batch: expected a positive integer, got "2.5"');
    expect(() => positiveInt(undefined, '--seq')).toThrow('--seq is required');
    expect(positiveInt(undefined, '--steps', 5)).toBe(5);
    expect(() => oneOf('cuda', '--ep', ['wasm', 'node'])).toThrow('--ep: "cuda" is not one of wasm, node');
  });
});
