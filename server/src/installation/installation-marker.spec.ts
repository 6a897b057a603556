import {
  describeDatabase,
  installationMarkerKey,
  parseMarker,
  RedisPrefixInUseError,
} from './installation-marker';

describe('installation marker', () => {
  describe('describeDatabase', () => {
    it('shows host, port and database, never the user or password', () => {
      expect(describeDatabase('postgres://app:s3cret@db.internal:6432/courseloom?sslmode=require')).toBe(
        'db.internal:6432/courseloom',
      );
    });

    it('names the default port when the URL has none', () => {
      expect(describeDatabase('postgresql://app@db/courseloom')).toBe('db:5432/courseloom');
    });
  });

  it('builds the key under REDIS_PREFIX', () => {
    expect(installationMarkerKey({ REDIS_PREFIX: 'staging' })).toBe('{staging}:installation');
  });

  describe('parseMarker', () => {
    it('reads a marker', () => {
      expect(parseMarker('{"id":"x/db","database":"h:5432/db"}')).toEqual({
        id: 'x/db',
        database: 'h:5432/db',
      });
    });

    it('is null for a missing key', () => {
      expect(parseMarker(null)).toBeNull();
    });

    it('takes anything else for another installation', () => {
      for (const text of ['not json', '{"id":1}', '"x"']) expect(parseMarker(text)?.id).toBe('');
    });
  });

  describe('RedisPrefixInUseError', () => {
    it('names the prefix, both databases and the fixes', () => {
      const { message } = new RedisPrefixInUseError(
        'courseloom',
        'courseloom:installation',
        'a:5432/prod',
        'b:5432/dev',
      );
      expect(message).toContain('REDIS_PREFIX=courseloom is used by the installation on a:5432/prod');
      expect(message).toContain('this one is on b:5432/dev');
      expect(message).toContain('give this installation its own REDIS_PREFIX, or its own Redis');
      expect(message).toContain('delete the Redis key "courseloom:installation"');
    });

    it('says when the other installation had a database at the same address', () => {
      const { message } = new RedisPrefixInUseError('p', 'p:installation', 'h:5432/db', 'h:5432/db');
      expect(message).toContain('another installation whose database was also at h:5432/db');
    });
  });
});
