import archiver from 'archiver';
import { Readable } from 'node:stream';

/**
 * A streamed zip (archiver) the exporter fills entry by entry. `flush()` resolves once every entry appended so far
 * has been compressed into the output — which only happens as fast as the client reads — so the exporter waits
 * there before loading the next project and memory stays flat whatever the course size.
 */
export class ZipSink {
  private readonly archive = archiver('zip', { zlib: { level: 6 } });
  private appended = 0;
  private written = 0;
  private failure: Error | null = null;
  private waiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  /** Rejects on the first failure (an archiver error, or the download closed early). */
  private readonly failed: Promise<never>;
  private rejectFailed!: (err: Error) => void;

  constructor(private readonly date: Date) {
    this.failed = new Promise<never>((_resolve, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
    this.archive.on('entry', () => {
      this.written++;
      this.settle();
    });
    this.archive.on('error', (err: Error) => this.fail(err));
    this.archive.on('close', () =>
      this.fail(new Error('The download was closed before the export finished')),
    );
  }

  /** The zip bytes; destroying it (client gone) stops the exporter at its next flush. */
  get stream(): Readable {
    return this.archive;
  }

  add(name: string, content: string | Buffer): void {
    if (this.failure) throw this.failure;
    this.archive.append(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, {
      name,
      date: this.date,
    });
    this.appended++;
  }

  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.written >= this.appended) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    await Promise.race([this.archive.finalize(), this.failed]);
  }

  /** Ends the zip with an error (the response is cut, so the client sees a failed download, not a short file). */
  abort(err: Error): void {
    this.fail(err);
    this.archive.destroy(err);
  }

  private settle(): void {
    if (this.written < this.appended) return;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.rejectFailed(err);
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
