import { describe, expect, it } from 'vitest';
import { parseStreamChunk } from '../../../src/providers/openai-wire.ts';
import { readSseEvents, SseIdleTimeoutError, type SseEvent } from '../../../src/providers/sse.ts';

/** A body that delivers the given pieces one read at a time (pieces may cut lines anywhere). */
function body(pieces: string[], end: 'close' | 'error' | 'hang' = 'close'): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[i++];
      if (piece !== undefined) controller.enqueue(encoder.encode(piece));
      else if (end === 'close') controller.close();
      else if (end === 'error') controller.error(new TypeError('terminated'));
      else return new Promise(() => undefined);
      return undefined;
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>, idleTimeoutMs?: number): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of readSseEvents(stream, idleTimeoutMs === undefined ? {} : { idleTimeoutMs })) out.push(e);
  return out;
}

describe('readSseEvents', () => {
  it('skips comments and numbers events from 1', async () => {
    const events = await all(body([': hello\n\n', 'data: a\n\n', ': ping\n\ndata: b\n\n']));
    expect(events).toEqual([
      { index: 1, event: undefined, data: 'a' },
      { index: 2, event: undefined, data: 'b' },
    ]);
  });

  it('joins multi-line data with newlines', async () => {
    const events = await all(body(['data: {"a":\ndata: 1}\n\n']));
    expect(events[0]?.data).toBe('{"a":\n1}');
    expect(JSON.parse(events[0]?.data ?? '')).toEqual({ a: 1 });
  });

  it('reassembles lines cut at any byte, including inside a multi-byte character', async () => {
    const text = 'data: {"content":"সমর্থিত"}\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    for (const cut of [1, 7, 20, 22, bytes.length - 3]) {
      const parts = [bytes.slice(0, cut), bytes.slice(cut)];
      let i = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          const p = parts[i++];
          if (p) c.enqueue(p);
          else c.close();
        },
      });
      expect((await all(stream)).map((e) => e.data)).toEqual(['{"content":"সমর্থিত"}', '[DONE]']);
    }
  });

  it('handles CRLF line endings and named events', async () => {
    const events = await all(body(['event: error\r\ndata: x\r\n\r\n']));
    expect(events).toEqual([{ index: 1, event: 'error', data: 'x' }]);
  });

  it('drops an event the body ends in the middle of', async () => {
    expect((await all(body(['data: a\n\n', 'data: partial']))).map((e) => e.data)).toEqual(['a']);
  });

  it('throws the read error of a dropped connection after the events before it', async () => {
    const seen: string[] = [];
    const run = async () => {
      for await (const e of readSseEvents(body(['data: a\n\n'], 'error'))) seen.push(e.data);
    };
    await expect(run()).rejects.toThrow('terminated');
    expect(seen).toEqual(['a']);
  });

  it('fails a stalled body after the idle timeout', async () => {
    await expect(all(body(['data: a\n\n'], 'hang'), 30)).rejects.toBeInstanceOf(SseIdleTimeoutError);
  });
});

describe('parseStreamChunk', () => {
  it('reads content, finish reason and usage', () => {
    expect(parseStreamChunk('{"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}', 1)).toEqual({
      kind: 'chunk',
      reasoning: '',
      content: 'Hi',
      finishReason: null,
      usage: null,
    });
    expect(parseStreamChunk('{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}', 9)).toEqual({
      kind: 'chunk',
      reasoning: '',
      content: '',
      finishReason: null,
      usage: { promptTokens: 5, completionTokens: 2 },
    });
    // vLLM sends choices: null on the usage chunk
    expect(parseStreamChunk('{"choices":null,"usage":{"prompt_tokens":1,"completion_tokens":1}}', 2)).toMatchObject({ kind: 'chunk', usage: { promptTokens: 1 } });
    expect(parseStreamChunk('{"choices":[{"delta":{},"finish_reason":"length"}]}', 3)).toMatchObject({ finishReason: 'length' });
  });

  it('recognises [DONE] with surrounding whitespace', () => {
    expect(parseStreamChunk(' [DONE] ', 4)).toEqual({ kind: 'done' });
  });

  it('names the position of a malformed chunk and quotes its start', () => {
    const parsed = parseStreamChunk('{"choices":[{"delta":', 3);
    expect(parsed).toEqual({ kind: 'invalid', message: 'chunk 3 of the stream is not valid JSON: "{\\"choices\\":[{\\"delta\\":"' });
    expect(parseStreamChunk('42', 5)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/^chunk 5 .* not a JSON object/) as unknown });
  });

  it('turns an in-stream error object into a typed error', () => {
    expect(parseStreamChunk('{"error":{"message":"slow down","code":429}}', 2)).toMatchObject({ kind: 'error', errorKind: 'rate-limit', status: 429 });
    expect(parseStreamChunk('{"error":{"message":"boom"}}', 2)).toMatchObject({ kind: 'error', errorKind: 'server' });
  });
});
