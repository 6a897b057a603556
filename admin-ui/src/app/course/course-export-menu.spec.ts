import { ComponentFixture, TestBed } from '@angular/core/testing';
import { EXPORT_FORMATS } from '@contracts/api';

import { CourseExportMenu } from './course-export-menu';

describe('CourseExportMenu', () => {
  let fixture: ComponentFixture<CourseExportMenu>;

  /** The menu panel renders in the CDK overlay container, outside the component. */
  const inOverlay = (selector: string): HTMLElement[] => [
    ...document.querySelectorAll<HTMLElement>(selector),
  ];
  const open = async (status: 'draft' | 'ready' | 'published'): Promise<void> => {
    fixture.componentRef.setInput('courseId', 'course-1');
    fixture.componentRef.setInput('status', status);
    fixture.detectChanges();
    (fixture.nativeElement.querySelector('[data-testid="export-menu"]') as HTMLButtonElement).click();
    fixture.detectChanges();
    await fixture.whenStable();
  };

  beforeEach(() => {
    fixture = TestBed.createComponent(CourseExportMenu);
  });
  afterEach(() => fixture.destroy());

  describe('when opened on a ready course', () => {
    it('offers the six formats as download links to the export endpoint, without a draft warning', async () => {
      await open('ready');
      const links = inOverlay('a[data-testid^="export-"]');
      expect(links.map((a) => a.getAttribute('data-testid'))).toEqual(
        EXPORT_FORMATS.map((f) => `export-${f}`),
      );
      for (const [i, format] of EXPORT_FORMATS.entries()) {
        expect(links[i].getAttribute('href')).toBe(
          `/api/admin/curriculum/courses/course-1/export?format=${format}`,
        );
        expect(links[i].hasAttribute('download')).toBe(true);
      }
      expect(links[0].textContent).toContain('SCORM 1.2');
      expect(inOverlay('[data-testid="export-draft-warning"]')).toEqual([]);
    });
  });

  describe('when opened on a draft course', () => {
    it('warns that the export holds what is written so far, and still offers every format', async () => {
      await open('draft');
      expect(inOverlay('[data-testid="export-draft-warning"]')[0].textContent).toContain(
        'This course is a draft',
      );
      expect(inOverlay('a[data-testid^="export-"]')).toHaveLength(EXPORT_FORMATS.length);
    });
  });
});
