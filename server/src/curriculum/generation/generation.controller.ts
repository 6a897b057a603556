import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type {
  ApproveOutlineResponse,
  GenerateLessonsResponse,
  GenerateOutlinesResponse,
  GenerateTasksResponse,
  ProviderInfo,
} from '../../../../contracts/api';
import { AuthUser, CurrentUser } from '../../accounts/auth';
import { GenerationInfoService } from '../../generation/generation-info.service';
import { CourseGenerationService } from './course-generation.service';
import {
  ApproveOutlineDto,
  CourseIdParams,
  GenerateLessonsDto,
  GenerateOutlinesDto,
  GenerateTasksDto,
} from './dto/generation.dto';
import { clientGoneSignal, mapLlmErrors } from './llm-http-error';
import { ApiErrors, ApiReturns } from '../../openapi/api-contract';

/**
 * Stage 1 of the wizard (outline proposals → an approved draft course) and the manual path (lessons, then tasks,
 * synchronously). Admins of the course's organization only; another organization's course is 404.
 */
@Controller('admin/curriculum/generate')
export class GenerationController {
  constructor(
    private readonly generation: CourseGenerationService,
    private readonly info: GenerationInfoService,
  ) {}

  /** Which provider and model write content (the UI labels the offline sample generator). */
  @Get('provider')
  @ApiReturns('ProviderInfo')
  provider(): ProviderInfo {
    return this.info.provider;
  }

  @Post('outlines')
  @HttpCode(200)
  @ApiReturns('GenerateOutlinesResponse')
  @ApiErrors(402, 429, 502, 503)
  proposeOutlines(
    @CurrentUser() user: AuthUser,
    @Body() body: GenerateOutlinesDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GenerateOutlinesResponse> {
    return mapLlmErrors(() => this.generation.proposeOutlines(user, body, clientGoneSignal(res)), res);
  }

  @Post('outlines/approve')
  @HttpCode(201)
  @ApiReturns('ApproveOutlineResponse', 201)
  approve(@CurrentUser() user: AuthUser, @Body() body: ApproveOutlineDto): Promise<ApproveOutlineResponse> {
    return this.generation.approveOutline(user, body);
  }

  @Post(':courseId/lessons')
  @HttpCode(200)
  @ApiReturns('GenerateLessonsResponse')
  @ApiErrors(402, 409, 429, 502, 503)
  lessons(
    @CurrentUser() user: AuthUser,
    @Param() { courseId }: CourseIdParams,
    @Body() body: GenerateLessonsDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GenerateLessonsResponse> {
    return mapLlmErrors(() => this.generation.writeLessons(user, courseId, body, clientGoneSignal(res)), res);
  }

  @Post(':courseId/tasks')
  @HttpCode(200)
  @ApiReturns('GenerateTasksResponse')
  @ApiErrors(402, 409, 429, 502, 503)
  tasks(
    @CurrentUser() user: AuthUser,
    @Param() { courseId }: CourseIdParams,
    @Body() body: GenerateTasksDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GenerateTasksResponse> {
    return mapLlmErrors(() => this.generation.writeTasks(user, courseId, body, clientGoneSignal(res)), res);
  }
}
