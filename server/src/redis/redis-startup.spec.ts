import { explainRedisError, explainRedisSetupError } from './redis-startup';

const failure = (message: string, code?: string): Error & { code?: string } =>
  Object.assign(new Error(message), code ? { code } : {});

describe('what a Redis start-up failure says', () => {
  it('names REDIS_TLS_CA when the certificate is not trusted', () => {
    const explained = explainRedisSetupError(
      failure('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'),
    );
    expect(explained?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(explained?.message).toMatch(
      /^Redis's TLS certificate was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT/,
    );
    expect(explained?.message).toContain('as REDIS_TLS_CA');
  });

  it('says when rediss:// meets a server without TLS', () => {
    const explained = explainRedisSetupError(failure('write EPROTO …:wrong version number', 'EPROTO'));
    expect(explained?.message).toMatch(/^Redis did not answer in TLS .*use redis:\/\/ in REDIS_URL/);
  });

  it('says when REDIS_CLUSTER_NODES names a server that is not a cluster', () => {
    expect(
      explainRedisSetupError(failure('ERR This instance has cluster support disabled'))?.message,
    ).toMatch(/^REDIS_CLUSTER_NODES names a Redis that is not a cluster/);
  });

  it('leaves network and password failures to the start-up check’s own words, and explains them here too', () => {
    const wrong = failure('WRONGPASS invalid username-password pair or user is disabled.');
    expect(explainRedisSetupError(wrong)).toBeUndefined();
    expect(explainRedisError(wrong)).toEqual({
      code: 'WRONGPASS',
      message:
        'Redis refused the user name or password in REDIS_URL (WRONGPASS invalid username-password pair or user is disabled.)',
    });
    expect(explainRedisError(failure('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))).toEqual({
      code: 'ECONNREFUSED',
      message: 'Redis connection error: connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});
