import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { LlmError } from '../../generation/llm-error';
import { isInfrastructureError } from './step-errors';

describe('isInfrastructureError', () => {
  it('a connection killed under a transaction (pg_terminate_backend) is infrastructure, not a model failure', () => {
    expect(isInfrastructureError(new QueryRunnerAlreadyReleasedError())).toBe(true);
    expect(isInfrastructureError(new QueryRunnerProviderAlreadyReleasedError())).toBe(true);
    const terminated = new QueryFailedError(
      'UPDATE …',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    expect(isInfrastructureError(terminated)).toBe(true);
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isInfrastructureError(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe(true);
  });

  it('model errors and ordinary bugs are not', () => {
    expect(isInfrastructureError(new LlmError('transient', 'fake', 'network error: ECONNRESET'))).toBe(false);
    expect(isInfrastructureError(new TypeError('x is undefined'))).toBe(false);
  });
});
