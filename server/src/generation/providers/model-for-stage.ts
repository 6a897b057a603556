import type { GenerationStage } from '../../../../contracts/api';
import type { AppConfig } from '../../config/app-config';

/** The model of a stage: LLM_MODEL_<STAGE> when set, else LLM_MODEL. */
export function modelForStage(config: AppConfig, stage: GenerationStage): string {
  const override = {
    outline: config.LLM_MODEL_OUTLINE,
    lessons: config.LLM_MODEL_LESSONS,
    tasks: config.LLM_MODEL_TASKS,
  }[stage];
  const model = override || config.LLM_MODEL;
  if (!model) throw new Error(`LLM_MODEL is not set (needed by the ${stage} stage)`);
  return model;
}
