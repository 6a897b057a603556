import { Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { CourseSummary, ExportFormat, LessonView } from '../../../../contracts/api';
import { ConflictError } from '../../common/domain-error';
import { ProjectRow, toProjectView } from '../course-views';
import { CourseExportReader } from './course-export-reader';
import { contentDisposition, EXPORT_FILE_TYPES, slugify } from './export-formats';
import { lessonPage, renderMarkdown, TASK_KIND_LABELS } from './lesson-html';
import { courseMarkdown, lessonMarkdown, projectMarkdown } from './markdown-export';
import { MARKDOWN_ZIP_CONTENTS_MARKER } from '../outline/markdown-zip';
import { LESSON_CSS, SCORM_RUNTIME_JS } from './package-assets';
import {
  ASSET_FILES,
  ccAssignment,
  imsccManifest,
  PackagedProject,
  scorm12Manifest,
  scorm2004Manifest,
} from './package-manifests';
import { ZipSink } from './zip-sink';

export interface CourseDownload {
  contentType: string;
  contentDisposition: string;
  /** The file, produced while it is read. */
  stream: Readable;
}

export const EXPORT_SCHEMA_VERSION = 1;

const pad = (n: number): string => String(n + 1).padStart(2, '0');
const linkText = (title: string): string => title.replace(/[[\]\\]/g, '\\$&');

type ZipFormat = 'scorm12' | 'scorm2004' | 'imscc' | 'markdown-zip';

/**
 * Course exports (docs/export.md): SCORM 1.2 / 2004 and IMS Common Cartridge packages, Markdown (one file or a zip
 * of files) and JSON. Every format is produced while the client reads it, one project's lessons at a time.
 */
@Injectable()
export class CourseExportService {
  private readonly logger = new Logger(CourseExportService.name);

  constructor(private readonly reader: CourseExportReader) {}

  /** NotFoundError for an unknown (or another organization's) course; ConflictError for a package of nothing. */
  async open(organizationId: string, courseId: string, format: ExportFormat): Promise<CourseDownload> {
    const course = await this.reader.course(organizationId, courseId);
    const type = EXPORT_FILE_TYPES[format];
    if (type.lmsPackage && course.counts.lessons === 0) {
      throw new ConflictError('The course has no lessons: there is nothing to put in a package');
    }
    const stream =
      format === 'markdown'
        ? Readable.from(this.markdown(course), { objectMode: false })
        : format === 'json'
          ? Readable.from(this.json(course), { objectMode: false })
          : this.zip(course, format);
    return {
      contentType: type.contentType,
      contentDisposition: contentDisposition(course.title, format),
      stream,
    };
  }

  private async *projects(course: CourseSummary): AsyncGenerator<{ row: ProjectRow; lessons: LessonView[] }> {
    for (const row of await this.reader.projects(course.id)) {
      yield { row, lessons: await this.reader.lessons(row) };
    }
  }

  private async *markdown(course: CourseSummary): AsyncGenerator<Buffer> {
    yield Buffer.from(courseMarkdown(course));
    for await (const { row, lessons } of this.projects(course)) {
      yield Buffer.from(projectMarkdown(row));
      for (const lesson of lessons) yield Buffer.from(lessonMarkdown(lesson));
    }
  }

  /** `{export_schema_version, exported_at, course}`, `course` being exactly what GET /courses/:id answers. */
  private async *json(course: CourseSummary): AsyncGenerator<Buffer> {
    const head = JSON.stringify({
      export_schema_version: EXPORT_SCHEMA_VERSION,
      exported_at: new Date().toISOString(),
      course,
    });
    // Re-open the course object to stream its projects, then close it with usage and the quality report (the key
    // order of GET).
    yield Buffer.from(`${head.slice(0, -2)},"projects":[`);
    let first = true;
    for await (const { row, lessons } of this.projects(course)) {
      yield Buffer.from(`${first ? '' : ','}${JSON.stringify(toProjectView(row, lessons))}`);
      first = false;
    }
    const usage = JSON.stringify(await this.reader.usage(course.id));
    const report = JSON.stringify(await this.reader.qualityReport(course.id));
    yield Buffer.from(`],"usage":${usage},"quality_report":${report}}}`);
  }

  private zip(course: CourseSummary, format: ZipFormat): Readable {
    const sink = new ZipSink(new Date(course.updated_at));
    const fill =
      format === 'markdown-zip' ? this.fillMarkdownZip(course, sink) : this.fillPackage(course, format, sink);
    fill.then(
      () => undefined,
      (err: Error) => {
        if (!sink.stream.destroyed) {
          this.logger.error({
            msg: 'Course export failed',
            course_id: course.id,
            format,
            error: err.message,
          });
          sink.abort(err);
        }
      },
    );
    return sink.stream;
  }

  private async fillPackage(
    course: CourseSummary,
    format: Exclude<ZipFormat, 'markdown-zip'>,
    sink: ZipSink,
  ) {
    const cc = format === 'imscc';
    sink.add(ASSET_FILES[0], LESSON_CSS);
    if (!cc) sink.add(ASSET_FILES[1], SCORM_RUNTIME_JS);
    const packaged: PackagedProject[] = [];
    let p = 0;
    for await (const { row, lessons } of this.projects(course)) {
      const project: PackagedProject = { id: `P${pad(p)}`, title: row.title, lessons: [] };
      lessons.forEach((lesson, l) => {
        const id = `${project.id}-L${pad(l)}`;
        const href = `lessons/${id.toLowerCase()}.html`;
        const page = lessonPage(cc ? { ...lesson, tasks: [] } : lesson, {
          courseTitle: course.title,
          projectTitle: row.title,
          language: course.language,
          scorm: cc ? 'none' : format === 'scorm12' ? '1.2' : '2004',
          assets: '../assets',
        });
        sink.add(href, page);
        const tasks = cc
          ? lesson.tasks.map((task, t) => {
              const taskId = `${id}-T${pad(t)}`;
              const entry = { id: taskId, title: task.title, href: `tasks/${taskId.toLowerCase()}.xml` };
              const kind = TASK_KIND_LABELS[task.kind];
              sink.add(
                entry.href,
                ccAssignment(entry, renderMarkdown(task.instructions), {
                  kind,
                  minutes: task.estimated_minutes,
                }),
              );
              return entry;
            })
          : [];
        project.lessons.push({ id, title: lesson.title, href, tasks });
      });
      packaged.push(project);
      p++;
      await sink.flush();
    }
    const manifest =
      format === 'scorm12'
        ? scorm12Manifest(course, packaged)
        : format === 'scorm2004'
          ? scorm2004Manifest(course, packaged)
          : imsccManifest(course, packaged);
    sink.add('imsmanifest.xml', manifest);
    await sink.finish();
  }

  /** A folder per project (its README.md) and a file per lesson; the course README.md last, with contents. */
  private async fillMarkdownZip(course: CourseSummary, sink: ZipSink) {
    const root = slugify(course.title, 'course');
    const contents: string[] = [];
    let p = 0;
    for await (const { row, lessons } of this.projects(course)) {
      const folder = `${pad(p)}-${slugify(row.title, 'project', 40)}`;
      sink.add(`${root}/${folder}/README.md`, projectMarkdown(row));
      contents.push(`${p + 1}. [${linkText(row.title)}](${folder}/README.md)`);
      lessons.forEach((lesson, l) => {
        const file = `${pad(l)}-${slugify(lesson.title, 'lesson', 40)}.md`;
        sink.add(`${root}/${folder}/${file}`, lessonMarkdown(lesson));
        contents.push(`   ${l + 1}. [${linkText(lesson.title)}](${folder}/${file})`);
      });
      p++;
      await sink.flush();
    }
    const readme = `${courseMarkdown(course)}${MARKDOWN_ZIP_CONTENTS_MARKER}\n\n## Contents\n\n${contents.join('\n')}\n`;
    sink.add(`${root}/README.md`, readme);
    await sink.finish();
  }
}
