import { describeServiceFailure, DOCKER_SERVICES_COMMAND } from './service-failure';

const netError = (code: string, message = `connect ${code}`): Error =>
  Object.assign(new Error(message), { code });
const pgError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('describeServiceFailure', () => {
  describe('when the service is absent', () => {
    it('names the service, the variable with its password hidden, the address, and both ways to get it', () => {
      const text = describeServiceFailure(
        'PostgreSQL',
        'postgres://app:secret@127.0.0.1:1/courseloom',
        netError('ECONNREFUSED'),
      );
      expect(text).toContain('Courseloom needs PostgreSQL, and nothing answers at 127.0.0.1:1');
      expect(text).toContain('DATABASE_URL=postgres://app:***@127.0.0.1:1/courseloom');
      expect(text).toContain('sudo apt-get install postgresql');
      expect(text).toContain(DOCKER_SERVICES_COMMAND);
      expect(text).not.toContain('secret');
    });

    it('hides a Redis password given without a user name', () => {
      const text = describeServiceFailure(
        'Redis',
        'redis://:secret@127.0.0.1:6390',
        netError('ECONNREFUSED'),
      );
      expect(text).toContain('REDIS_URL=redis://:***@127.0.0.1:6390');
      expect(text).toContain('sudo apt-get install redis-server');
      expect(text).not.toContain('secret');
    });

    it('reads the code of the first attempt of a multi-address connect', () => {
      const aggregate = new AggregateError([netError('ECONNREFUSED'), netError('ECONNREFUSED')]);
      expect(describeServiceFailure('Redis', 'redis://localhost:6390', aggregate)).toContain(
        'nothing answers at localhost:6390',
      );
    });

    it('uses the default port when the URL has none', () => {
      expect(describeServiceFailure('Redis', 'redis://127.0.0.1', netError('ECONNREFUSED'))).toContain(
        '127.0.0.1:6379',
      );
    });

    it.each(['ENOTFOUND', 'EAI_AGAIN'])('says a host name that does not resolve (%s)', (code) => {
      expect(
        describeServiceFailure('PostgreSQL', 'postgres://postgres@db.invalid:5432/x', netError(code)),
      ).toContain('the host name "db.invalid" does not resolve');
    });

    it.each([
      ['a connect time-out', netError('ETIMEDOUT')],
      ['pg', new Error('timeout expired')],
      ['ioredis', new Error('Command timed out')],
    ])('says a time-out (%s)', (_source, err) => {
      expect(describeServiceFailure('Redis', 'redis://10.0.0.9:6379', err)).toContain(
        '10.0.0.9:6379 did not answer in time',
      );
    });
  });

  describe('when the service answers but refuses the login', () => {
    it('gives the reason PostgreSQL gave and the variable to fix, without installation help', () => {
      const text = describeServiceFailure(
        'PostgreSQL',
        'postgres://nobody:pw@127.0.0.1:5432/courseloom',
        pgError('28000', 'role "nobody" does not exist'),
      );
      expect(text).toContain("PostgreSQL at 127.0.0.1:5432 refused Courseloom's login");
      expect(text).toContain('role "nobody" does not exist');
      expect(text).toContain('Set the user and password in DATABASE_URL');
      expect(text).not.toContain('apt-get');
    });

    it('says a wrong Redis password', () => {
      const err = Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), {
        name: 'ReplyError',
      });
      expect(describeServiceFailure('Redis', 'redis://:bad@127.0.0.1:6379', err)).toContain(
        'the user name or password was refused',
      );
    });

    it('says a Redis that wants a password REDIS_URL lacks, and where it goes', () => {
      const text = describeServiceFailure(
        'Redis',
        'rediss://127.0.0.1:6380',
        new Error('NOAUTH Authentication required.'),
      );
      expect(text).toContain('requires a password, and REDIS_URL has none');
      expect(text).toContain('rediss://:<password>@127.0.0.1:6380');
    });
  });

  it('says a missing database and how to create it', () => {
    const text = describeServiceFailure(
      'PostgreSQL',
      'postgres://postgres@127.0.0.1:5432/nope',
      pgError('3D000', 'database "nope" does not exist'),
    );
    expect(text).toContain('database "nope" does not exist');
    expect(text).toContain('npm run db:create');
  });

  it('leaves other errors alone', () => {
    expect(
      describeServiceFailure('PostgreSQL', 'postgres://x@h/d', pgError('42P01', 'no such table')),
    ).toBeUndefined();
    expect(
      describeServiceFailure('Redis', 'redis://h', new Error('self-signed certificate')),
    ).toBeUndefined();
  });
});
