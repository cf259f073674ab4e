import type { Readable } from "node:stream";

/**
 * Watches a byte stream and the iteration that consumes it. exceljs's streaming unzip can wait forever
 * on a corrupted entry: once the bytes have all been read (or failed), a consumer that makes no progress
 * for `idleMs` never will, and `guard` makes its iteration throw instead of hanging the run.
 */
export class StallGuard {
  private inputDone = false;
  private lastProgress = Date.now();

  constructor(
    private readonly source: Readable,
    private readonly idleMs: number,
  ) {
    const done = () => {
      this.inputDone = true;
      this.lastProgress = Date.now();
    };
    source.once("end", done);
    source.once("error", done);
    source.once("close", done);
  }

  /** Yields what `iterable` yields; throws when it stalls after the input is done. */
  async *guard<T>(iterable: AsyncIterable<T>): AsyncGenerator<T> {
    const iterator = iterable[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.race(iterator.next());
      if (next.done) return;
      this.lastProgress = Date.now();
      yield next.value;
    }
  }

  private race<T>(pending: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setInterval(
        () => {
          if (!this.inputDone || Date.now() - this.lastProgress < this.idleMs) return;
          clearInterval(timer);
          this.source.destroy();
          reject(new Error(`no progress for ${this.idleMs} ms after the end of the input: the data is damaged`));
        },
        Math.min(250, this.idleMs),
      );
      pending.then(
        (value) => {
          clearInterval(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearInterval(timer);
          reject(error);
        },
      );
    });
  }
}
