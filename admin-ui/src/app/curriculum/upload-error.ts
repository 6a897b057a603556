import { apiErrorBody, errorMessage, httpStatus } from '../shared/api-error';

export interface UploadFailure {
  readonly message: string;
  /** "Line 12" (Markdown or JSON syntax) or "Field projects[1].title" (JSON schema). */
  readonly where: string | null;
}

/** What the upload's 400/413 says, with the line or field that failed. */
export function uploadFailure(error: unknown): UploadFailure {
  if (httpStatus(error) === 413) {
    return { message: 'The file is too large.', where: null };
  }
  const body = apiErrorBody(error);
  const line = body?.['line'];
  const path = body?.['path'];
  const where =
    typeof line === 'number' ? `Line ${line}` : typeof path === 'string' && path ? `Field ${path}` : null;
  return { message: errorMessage(error, 'The outline could not be uploaded.'), where };
}
