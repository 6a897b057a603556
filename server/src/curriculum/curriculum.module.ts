import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { CourseEditService } from './course-edit.service';
import { CourseGenerationItems } from './course-generation-items.service';
import { CoursePublishService } from './course-publish.service';
import { CourseQueryService } from './course-query.service';
import { CourseStatusService } from './course-status.service';
import { CourseTreeWriter } from './course-tree-writer';
import { CoursesController } from './courses.controller';
import { CourseProject } from './entities/course-project.entity';
import { Course } from './entities/course.entity';
import { Lesson } from './entities/lesson.entity';
import { Task } from './entities/task.entity';
import { OutlineUploadService } from './outline-upload.service';
import { UploadController } from './upload.controller';
import { CurriculumContentService } from './curriculum-content.service';
import { CourseExportController } from './export/course-export.controller';
import { CourseExportReader } from './export/course-export-reader';
import { CourseExportService } from './export/course-export.service';
import { GenerationContexts } from './generation-contexts';
import { QualityGateService } from './quality/quality-gate.service';
import { CourseVersionsService } from './versions/course-versions.service';
import { VersionsController } from './versions/versions.controller';

/** Courses → projects → lessons → tasks: reading, editing, publishing, uploading outlines. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Course, CourseProject, Lesson, Task]),
    MulterModule.registerAsync({
      inject: [AppConfig],
      // Memory storage (no `dest`); a bigger file is cut off by multer and answered with 413.
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.UPLOAD_MAX_BYTES, files: 1, fields: 10 },
      }),
    }),
  ],
  controllers: [CoursesController, UploadController, CourseExportController, VersionsController],
  providers: [
    CourseQueryService,
    CourseEditService,
    CourseExportReader,
    CourseGenerationItems,
    CourseExportService,
    CoursePublishService,
    CourseStatusService,
    CourseTreeWriter,
    CourseVersionsService,
    CurriculumContentService,
    GenerationContexts,
    OutlineUploadService,
    QualityGateService,
  ],
  exports: [
    CourseGenerationItems,
    CourseQueryService,
    CoursePublishService,
    CourseStatusService,
    CourseTreeWriter,
    CourseVersionsService,
    CurriculumContentService,
    GenerationContexts,
    QualityGateService,
  ],
})
export class CurriculumModule {}
