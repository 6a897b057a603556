import type { CourseSummary } from '../../../../contracts/api';

/**
 * `imsmanifest.xml` of the SCORM 1.2, SCORM 2004 (4th edition) and IMS Common Cartridge 1.3 packages
 * (docs/export.md). Built after the lessons are written, from their titles and paths only.
 */

export interface PackagedTask {
  id: string;
  title: string;
  /** The task's file in the package (Common Cartridge: its assignment XML). */
  href: string;
}

export interface PackagedLesson {
  id: string;
  title: string;
  href: string;
  tasks: PackagedTask[];
}

export interface PackagedProject {
  id: string;
  title: string;
  lessons: PackagedLesson[];
}

export const ASSET_FILES = ['assets/lesson.css', 'assets/scorm-runtime.js'] as const;

/** Text for an XML text node or attribute; characters XML 1.0 cannot carry are dropped. */
export function xml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(
        /[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
      )
  );
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function items(projects: PackagedProject[], indent: string): string {
  return projects
    .filter((p) => p.lessons.length > 0)
    .map(
      (p) =>
        `${indent}<item identifier="ITEM-${p.id}">\n${indent}  <title>${xml(p.title)}</title>\n` +
        p.lessons
          .map(
            (l) =>
              `${indent}  <item identifier="ITEM-${l.id}" identifierref="RES-${l.id}">\n` +
              `${indent}    <title>${xml(l.title)}</title>\n${indent}  </item>\n`,
          )
          .join('') +
        `${indent}</item>\n`,
    )
    .join('');
}

function scoResources(projects: PackagedProject[], scormType: string): string {
  const lessons = projects.flatMap((p) => p.lessons);
  return (
    lessons
      .map(
        (l) =>
          `    <resource identifier="RES-${l.id}" type="webcontent" ${scormType}="sco" href="${xml(l.href)}">\n` +
          `      <file href="${xml(l.href)}"/>\n      <dependency identifierref="RES-ASSETS"/>\n    </resource>\n`,
      )
      .join('') +
    `    <resource identifier="RES-ASSETS" type="webcontent" ${scormType}="asset">\n` +
    ASSET_FILES.map((f) => `      <file href="${f}"/>\n`).join('') +
    `    </resource>\n`
  );
}

/** SCORM 1.2: IMS CP 1.1.2 with the ADL 1.2 extensions; each lesson one SCO, each project an aggregation. */
export function scorm12Manifest(course: CourseSummary, projects: PackagedProject[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="COURSELOOM-${course.id}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="${XSI}"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>${xml(course.title)}</title>
${items(projects, '      ')}    </organization>
  </organizations>
  <resources>
${scoResources(projects, 'adlcp:scormtype')}  </resources>
</manifest>
`;
}

/** SCORM 2004 4th edition: IMS CP 1.1.4 with the ADL CP v1.3 extensions; default sequencing (choice). */
export function scorm2004Manifest(course: CourseSummary, projects: PackagedProject[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="COURSELOOM-${course.id}" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:xsi="${XSI}"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>${xml(course.title)}</title>
${items(projects, '      ')}    </organization>
  </organizations>
  <resources>
${scoResources(projects, 'adlcp:scormType')}  </resources>
</manifest>
`;
}

const CC = {
  cp: 'http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1',
  cpXsd: 'http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd',
  lomm: 'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest',
  lommXsd: 'http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd',
  assignment: 'http://www.imsglobal.org/xsd/imscc_extensions/assignment',
  assignmentXsd: 'http://www.imsglobal.org/profile/cc/cc_extensions/cc_extresource_assignmentv1p0_v1p0.xsd',
};

/**
 * IMS Common Cartridge 1.3: one folder item per project holding, in order, each lesson (web content) followed by
 * its tasks (assignments, the CC 1.3 `assignment_xmlv1p0` extension resource). Metadata: LOM title, language,
 * description.
 */
export function imsccManifest(course: CourseSummary, projects: PackagedProject[]): string {
  const lang = xml(course.language);
  const description = course.description
    ? `\n          <lomm:description>\n            <lomm:string language="${lang}">${xml(course.description)}</lomm:string>\n          </lomm:description>`
    : '';
  const organization = projects
    .filter((p) => p.lessons.length > 0)
    .map(
      (p) =>
        `        <item identifier="ITEM-${p.id}">\n          <title>${xml(p.title)}</title>\n` +
        p.lessons
          .map(
            (l) =>
              `          <item identifier="ITEM-${l.id}" identifierref="RES-${l.id}">\n            <title>${xml(l.title)}</title>\n          </item>\n` +
              l.tasks
                .map(
                  (t) =>
                    `          <item identifier="ITEM-${t.id}" identifierref="RES-${t.id}">\n            <title>${xml(t.title)}</title>\n          </item>\n`,
                )
                .join(''),
          )
          .join('') +
        `        </item>\n`,
    )
    .join('');
  const resources = projects
    .flatMap((p) => p.lessons)
    .map(
      (l) =>
        `    <resource identifier="RES-${l.id}" type="webcontent" href="${xml(l.href)}">\n` +
        `      <file href="${xml(l.href)}"/>\n      <dependency identifierref="RES-ASSETS"/>\n    </resource>\n` +
        l.tasks
          .map(
            (t) =>
              `    <resource identifier="RES-${t.id}" type="assignment_xmlv1p0">\n      <file href="${xml(t.href)}"/>\n    </resource>\n`,
          )
          .join(''),
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="COURSELOOM-${course.id}"
  xmlns="${CC.cp}"
  xmlns:lomm="${CC.lomm}"
  xmlns:xsi="${XSI}"
  xsi:schemaLocation="${CC.cp} ${CC.cpXsd} ${CC.lomm} ${CC.lommXsd}">
  <metadata>
    <schema>IMS Common Cartridge</schema>
    <schemaversion>1.3.0</schemaversion>
    <lomm:lom>
      <lomm:general>
        <lomm:title>
          <lomm:string language="${lang}">${xml(course.title)}</lomm:string>
        </lomm:title>
        <lomm:language>${lang}</lomm:language>${description}
      </lomm:general>
    </lomm:lom>
  </metadata>
  <organizations>
    <organization identifier="ORG-1" structure="rooted-hierarchy">
      <item identifier="ROOT">
${organization}      </item>
    </organization>
  </organizations>
  <resources>
${resources}    <resource identifier="RES-ASSETS" type="webcontent">
      <file href="${ASSET_FILES[0]}"/>
    </resource>
  </resources>
</manifest>
`;
}

/** A task as a Common Cartridge assignment (not graded; text submission). */
export function ccAssignment(
  task: PackagedTask,
  html: string,
  meta: { kind: string; minutes: number | null },
): string {
  const note = `Kind: ${meta.kind}${meta.minutes === null ? '' : `; about ${meta.minutes} min`}. Exported from Courseloom.`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<assignment xmlns="${CC.assignment}" xmlns:xsi="${XSI}"
  xsi:schemaLocation="${CC.assignment} ${CC.assignmentXsd}" identifier="ASSIGNMENT-${task.id}">
  <title>${xml(task.title)}</title>
  <text texttype="text/html">${xml(html)}</text>
  <instructor_text texttype="text/plain">${xml(note)}</instructor_text>
  <gradable>false</gradable>
  <submission_formats>
    <format type="text"/>
  </submission_formats>
</assignment>
`;
}
