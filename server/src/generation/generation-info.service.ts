import { Inject, Injectable } from '@nestjs/common';
import type { ProviderInfo } from '../../../contracts/api';
import { LLM_PROVIDER } from './generation.constants';
import type { LlmProvider } from './llm-provider';

/** Which provider and model write content in this process (the UI labels the sample generator plainly). */
@Injectable()
export class GenerationInfoService {
  constructor(@Inject(LLM_PROVIDER) private readonly llm: LlmProvider) {}

  get provider(): ProviderInfo {
    return { ...this.llm.info };
  }
}
