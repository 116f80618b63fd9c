// TextStream: generated ids to final text. Fake byte-level decoders (an id is one byte, or a chunk of bytes, as
// byte-level BPE splits characters across tokens), a metaspace-like decoder that strips the text's leading space,
// and the demo model's real tokenizer; stop strings across tokens and at the very start.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../src/engine/errors.ts';
import { TextStream } from '../../../src/engine/generation/text-stream.ts';
import { createTokenizer } from '../../../src/engine/tokenizer.ts';
import { SeededRandom } from '../../../src/models/random.ts';

const utf8 = new TextEncoder();
const SPECIAL = 256;

/** Ids are bytes; SPECIAL is a special token, skipped. Counts the ids it decodes. */
function byteDecoder() {
  const counter = { ids: 0, calls: 0 };
  const decode = (ids: readonly number[]) => {
    counter.ids += ids.length;
    counter.calls++;
    return new TextDecoder().decode(Uint8Array.from(ids.filter((id) => id !== SPECIAL)));
  };
  return { decode, counter };
}

/** A vocabulary of byte chunks: the text's UTF-8 bytes cut at seeded places, one id per chunk. */
function chunkedTokens(text: string, seed: number): { ids: number[]; decode: (ids: readonly number[]) => string } {
  const bytes = utf8.encode(text);
  const random = new SeededRandom(seed);
  const vocab: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + (random.nextUint32() % 3);
    vocab.push(bytes.slice(at, at + size));
    at += size;
  }
  const decode = (ids: readonly number[]) => {
    const parts = ids.map((id) => vocab[id]!);
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return new TextDecoder().decode(all);
  };
  return { ids: vocab.map((_, i) => i), decode };
}

function streamAll(stream: TextStream, ids: readonly number[]): string[] {
  const pieces: string[] = [];
  for (const id of ids) {
    if (stream.stopped) break;
    pieces.push(stream.push(id));
  }
  pieces.push(stream.finish());
  return pieces;
}

const TEXTS = {
  arabic: 'هل ولد ألبرت أينشتاين في ألمانيا؟ نعم، في أولم.',
  hindi: 'भारत की राजधानी नई दिल्ली है। यह एक बड़ा शहर है।',
  emoji: 'Family: 👨‍👩‍👧‍👦, flags 🇫🇮🇵🇱, and 😀!',
  mixed: 'Answer: 東京 → Tōkyō (日本) 🎌 ok',
};

describe('without stop strings', () => {
  test.each(Object.entries(TEXTS))('%s, one byte per id: pieces join to the text and none holds half a character', (_, text) => {
    const { decode } = byteDecoder();
    const stream = new TextStream({ decode });
    const pieces = streamAll(stream, [...utf8.encode(text)]);
    expect(pieces.join('')).toBe(text);
    expect(stream.text).toBe(text);
    expect(pieces.filter((p) => p.includes('\uFFFD'))).toEqual([]);
    // Text comes as characters complete, not all at the end.
    expect(pieces.filter((p) => p !== '').length).toBeGreaterThan(text.length / 3);
    expect(stream.stopped).toBe(false);
  });

  test.each(Object.entries(TEXTS))('%s, ids of 1-3 bytes cut anywhere: the same', (_, text) => {
    for (const seed of [1, 2, 3]) {
      const { ids, decode } = chunkedTokens(text, seed);
      const pieces = streamAll(new TextStream({ decode }), ids);
      expect(pieces.join(''), `seed ${seed}`).toBe(text);
      expect(pieces.filter((p) => p.includes('\uFFFD'))).toEqual([]);
    }
  });

  test('a character is given out by the id that completes it', () => {
    const stream = new TextStream({ decode: byteDecoder().decode });
    const [a, b, c, d] = utf8.encode('😀');
    expect([stream.push(a!), stream.push(b!), stream.push(c!)]).toEqual(['', '', '']);
    expect(stream.push(d!)).toBe('😀');
    expect(stream.push('x'.charCodeAt(0))).toBe('x');
  });

  test('finish gives out an incomplete character as decode does (U+FFFD), and special tokens decode to nothing', () => {
    const stream = new TextStream({ decode: byteDecoder().decode });
    const bytes = [...utf8.encode('ok 😀')];
    const pieces = streamAll(stream, [...bytes.slice(0, -1), SPECIAL]);
    expect(pieces.join('')).toBe('ok \uFFFD');
    expect(pieces.at(-1)).toBe('\uFFFD');
  });

  test('decoding stays linear: each push decodes a few ids, not all of them', () => {
    const { decode, counter } = byteDecoder();
    const text = `${TEXTS.hindi} ${TEXTS.emoji} `.repeat(40);
    const ids = [...utf8.encode(text)];
    expect(streamAll(new TextStream({ decode }), ids).join('')).toBe(text);
    // Each push decodes its window twice; a window is at most one character's bytes (4) plus the last step's.
    expect(counter.ids).toBeLessThan(ids.length * 16);
    expect(ids.length).toBeGreaterThan(4000);
  });

  test('a decoder that strips the leading space of its text (SentencePiece\'s metaspace) keeps the spaces between words', () => {
    const vocab = ['▁Hello', '▁world', '!', '▁How', '▁are', '▁you', '?'];
    const decode = (ids: readonly number[]) => ids.map((id) => vocab[id]!).join('').replaceAll('▁', ' ').replace(/^ /, '');
    const ids = vocab.map((_, i) => i);
    const pieces = streamAll(new TextStream({ decode }), ids);
    expect(pieces.join('')).toBe(decode(ids));
    expect(pieces.join('')).toBe('Hello world! How are you?');
  });

  test('push after finish is an error', () => {
    const stream = new TextStream({ decode: byteDecoder().decode });
    stream.push(65);
    stream.finish();
    expect(() => stream.push(66)).toThrow(EngineError);
  });
});

describe('stop strings', () => {
  const bytesOf = (text: string) => [...utf8.encode(text)];

  test('a stop string across ids: the text ends before it, and its start is never given out', () => {
    const stream = new TextStream({ decode: byteDecoder().decode, stop: ['\nQuestion:'] });
    const ids = bytesOf('Paris is in France.\nQuestion: and the next one');
    const pieces: string[] = [];
    for (const id of ids) {
      pieces.push(stream.push(id));
      expect(stream.text.includes('\n')).toBe(false);
      if (stream.stopped) break;
    }
    expect(stream.stopped).toBe(true);
    expect(stream.text).toBe('Paris is in France.');
    expect(pieces.join('')).toBe('Paris is in France.');
    expect(stream.finish()).toBe('');
    expect(() => stream.push(65)).toThrow(/stop string/);
  });

  test('a start of a stop string that goes another way is given out', () => {
    const stream = new TextStream({ decode: byteDecoder().decode, stop: ['\nQuestion:'] });
    const pieces = streamAll(stream, bytesOf('a\nQuest for b\nQu'));
    expect(pieces.join('')).toBe('a\nQuest for b\nQu');
    expect(pieces.at(-1)).toBe('\nQu');
    expect(stream.stopped).toBe(false);
  });

  test('a stop string at the very start gives no text', () => {
    const stream = new TextStream({ decode: byteDecoder().decode, stop: ['<end>'] });
    expect(streamAll(stream, bytesOf('<end> more')).join('')).toBe('');
    expect(stream.stopped).toBe(true);
    expect(stream.text).toBe('');
  });

  test('the earliest of several stop strings wins, also when a later one began first', () => {
    const stream = new TextStream({ decode: byteDecoder().decode, stop: ['abc', 'b'] });
    expect(streamAll(stream, bytesOf('xabcd')).join('')).toBe('xa');
  });

  test.each([
    ['hindi', '।', 'भारत की राजधानी नई दिल्ली है'],
    ['arabic', '؟', 'هل ولد ألبرت أينشتاين في ألمانيا'],
    ['emoji', '🇫🇮', 'Family: 👨‍👩‍👧‍👦, flags '],
  ] as const)('a multi-byte stop string in %s text, split across ids of 1-3 bytes', (name, stop, before) => {
    for (const seed of [4, 5, 6]) {
      const { ids, decode } = chunkedTokens(TEXTS[name], seed);
      const stream = new TextStream({ decode, stop: [stop] });
      const pieces = streamAll(stream, ids);
      expect(stream.stopped, `seed ${seed}`).toBe(true);
      expect(pieces.join('')).toBe(before);
      expect(stream.text).toBe(before);
    }
  });

  test('an empty stop string is a usage error', () => {
    expect(() => new TextStream({ decode: byteDecoder().decode, stop: ['x', ''] })).toThrow(/stop string 2 is empty/);
  });
});

test('the demo model\'s byte-level BPE: streamed text equals the decode of all ids, in every language of the fixtures', () => {
  const folder = 'public/models/demo/';
  const tokenizer = createTokenizer({
    tokenizerJson: readFileSync(`${folder}tokenizer.json`, 'utf8'),
    tokenizerConfig: readFileSync(`${folder}tokenizer_config.json`, 'utf8'),
    chatTemplate: null,
  });
  const decode = (ids: readonly number[]) => tokenizer.decode(ids, { skipSpecialTokens: true });
  const fixture = JSON.parse(readFileSync('test/fixtures/tokenizers/expected.json', 'utf8')) as { encodes: { bpe: { text: string }[] } };
  let held = 0;
  for (const { text } of fixture.encodes.bpe) {
    const ids = tokenizer.encode(text, { addSpecialTokens: false });
    const stream = new TextStream({ decode });
    const pieces = streamAll(stream, ids);
    expect(pieces.join(''), text).toBe(decode(ids));
    expect(pieces.slice(0, -1).filter((p) => p.includes('\uFFFD'))).toEqual([]);
    held += pieces.filter((p, i) => p === '' && i < ids.length).length;
  }
  // Some ids of the fixtures hold part of a character (a 4,096-token BPE splits rare scripts into bytes).
  expect(held).toBeGreaterThan(0);
});
