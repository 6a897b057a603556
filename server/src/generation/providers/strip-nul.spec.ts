import { z } from 'zod';
import { stripNulCharacters, stripNulMiddleware } from './strip-nul';
import { toWireSchema } from './wire-schema';

describe('stripNulCharacters', () => {
  it('removes U+0000 from every string and key, leaving other values alone', () => {
    expect(
      stripNulCharacters({
        ['ti\u0000tle']: 'A\u0000 lesson',
        n: 3,
        ok: true,
        none: null,
        list: ['\u0000x', 'y'],
      }),
    ).toEqual({ title: 'A lesson', n: 3, ok: true, none: null, list: ['x', 'y'] });
  });
});

describe('NUL characters in model output', () => {
  const schema = z.object({ title: z.string().min(1), kind: z.enum(['quiz', 'exercise']) });

  it('the wire schema validates (and returns) the output without them', async () => {
    const result = await toWireSchema(schema).validate!({ title: 'Intro\u0000', kind: 'q\u0000uiz' });
    expect(result).toEqual({ success: true, value: { title: 'Intro', kind: 'quiz' } });
  });

  it('bounds apply to what is left: a title of only NULs is still invalid output', async () => {
    const result = await toWireSchema(schema).validate!({ title: '\u0000', kind: 'quiz' });
    expect(result.success).toBe(false);
  });

  it('the middleware removes raw ones from the text before the JSON is parsed', async () => {
    const raw = '{"title": "A\u0000B", "kind": "quiz"}';
    const wrap = stripNulMiddleware.wrapGenerate!;
    const result = await wrap({
      doGenerate: async () =>
        ({
          content: [
            { type: 'text', text: raw },
            { type: 'tool-call', toolCallId: 't', toolName: 'json', input: raw },
          ],
        }) as never,
      doStream: undefined as never,
      params: {} as never,
      model: {} as never,
    });
    expect(result.content).toEqual([
      { type: 'text', text: '{"title": "AB", "kind": "quiz"}' },
      { type: 'tool-call', toolCallId: 't', toolName: 'json', input: '{"title": "AB", "kind": "quiz"}' },
    ]);
    expect(() => JSON.parse(raw)).toThrow();
  });
});
