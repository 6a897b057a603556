import type { Job } from 'bullmq';
import type { JobPayload, ModelCallPayload, StepPayload } from '../jobs.constants';
import { jobLogFields, modelCallLogFields, stepLogFields } from './job-log-fields';

const entry = <T>(name: string, id: string, data: unknown): Job<T> => ({ name, id, data }) as Job<T>;
const JOB = '82cc122d-771c-49dc-baec-68ac50ecb1d9';
const ITEM = 'ae195647-33e3-4ab2-ae26-2baa1f3dd283';

describe('the log fields of a queue entry', () => {
  it('a jobs-queue entry: its job id and type (the entry name)', () => {
    expect(jobLogFields(entry<JobPayload>('course_generation', JOB, { job_id: JOB, retry: 0 }))).toEqual({
      job_id: JOB,
      job_type: 'course_generation',
    });
  });

  it('a step: its job, kind, queue entry id and item', () => {
    const id = `${JOB}_r0_lessons_${ITEM}`;
    expect(
      stepLogFields(
        entry<StepPayload>('lessons', id, { job_id: JOB, retry: 0, kind: 'lessons', item_id: ITEM }),
      ),
    ).toEqual({ job_id: JOB, step_kind: 'lessons', step_id: id, item_id: ITEM });
  });

  it('a crafted payload gives only its strings, and a payload that is no object gives none', () => {
    expect(
      stepLogFields(entry<StepPayload>('x', 's1', { job_id: { $ne: 1 }, kind: 7, item_id: ITEM })),
    ).toEqual({
      job_id: undefined,
      step_kind: undefined,
      step_id: 's1',
      item_id: ITEM,
    });
    expect(jobLogFields(entry<JobPayload>('course_generation', 'j', null))).toEqual({
      job_id: undefined,
      job_type: 'course_generation',
    });
  });

  it("a model call: its queue entry id and the waiting request's id, when that looks like a request id", () => {
    const call = { stage: 'outline' };
    expect(
      modelCallLogFields(entry<ModelCallPayload>('model_call', 'model-call_1', { call, req_id: 'r-1' })),
    ).toEqual({
      model_call_id: 'model-call_1',
      req_id: 'r-1',
    });
    const forged = entry<ModelCallPayload>('model_call', 'model-call_2', {
      call,
      req_id: 'x"}\n{"level":60',
    });
    expect(modelCallLogFields(forged).req_id).toBeUndefined();
  });
});
