import { InvalidInputError } from '../common/domain-error';
import { assertNoNulCharacters, findNulCharacter, rejectNulCharacters } from './nul-characters';
import type { Request, Response } from 'express';

describe('findNulCharacter', () => {
  it('names the path of the first string holding U+0000, at any depth', () => {
    expect(findNulCharacter({ title: 'a\u0000b' })).toBe('title');
    expect(
      findNulCharacter({ title: 'ok', projects: [{ title: 'ok' }, { lessons: [{ title: 'x\u0000' }] }] }),
    ).toBe('projects[1].lessons[0].title');
    expect(findNulCharacter(['ok', 'n\u0000'])).toBe('[1]');
    expect(findNulCharacter('\u0000')).toBe('(body)');
    expect(findNulCharacter({ q: 'x\u0000' }, 'query')).toBe('query.q');
  });

  it('finds it in a key too', () => {
    expect(findNulCharacter({ outline: { 'ti\u0000tle': 'x' } })).toBe('outline.ti\\0tle');
  });

  it('passes clean values of every JSON type', () => {
    expect(
      findNulCharacter({ a: 'text with \\u0000 written out', b: 1, c: null, d: true, e: [] }),
    ).toBeUndefined();
    expect(findNulCharacter(undefined)).toBeUndefined();
  });

  it('walks a very deep body without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNulCharacter(deep)).toMatch(/^(\[0\]){100000}$/);
  });
});

describe('assertNoNulCharacters', () => {
  it('throws a 400 domain error naming the field', () => {
    let error: unknown;
    try {
      assertNoNulCharacters({ lessons: [{ title: 'a\u0000' }] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({
      code: 'invalid',
      message: 'lessons[0].title: must not contain NUL characters',
      details: { path: 'lessons[0].title' },
    });
  });
});

describe('rejectNulCharacters (middleware)', () => {
  const run = (req: Partial<Request>): unknown => {
    let passed: unknown = 'not called';
    rejectNulCharacters({ url: '/api/x', query: {}, ...req } as Request, {} as Response, (err?: unknown) => {
      passed = err;
    });
    return passed;
  };

  it('passes a clean request on, and hands a NUL in the body or the query to the error filter', () => {
    expect(run({ body: { title: 'fine' } })).toBeUndefined();
    expect(run({ body: { title: 'bad\u0000' } })).toMatchObject({ details: { path: 'title' } });
    expect(run({ url: '/api/x?q=%00', query: { q: '\u0000' } })).toMatchObject({
      details: { path: 'query.q' },
    });
  });
});
