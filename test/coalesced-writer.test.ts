import { Writable } from "node:stream";
import { afterEach, describe, expect, test, vi } from "vitest";
import { CoalescedWriter } from "../src/util/coalesced-writer.js";

/** A stream that records each write; `highWaterMark` decides when it asks for `drain`. */
function recordingStream(highWaterMark = 1 << 20, fail = false): { stream: Writable; writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      writes.push(chunk);
      setImmediate(() => done(fail ? new Error("disk full") : null));
    },
  });
  return { stream, writes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("CoalescedWriter", () => {
  test("joins small chunks into one write, in order, and an iterable chunk piece by piece", async () => {
    const { stream, writes } = recordingStream();
    const writer = new CoalescedWriter(stream);
    for (let i = 0; i < 1000; i++) await writer.write(`line ${i}\n`);
    await writer.write(["a", "", "b"]);
    await writer.flush();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(`${Array.from({ length: 1000 }, (_, i) => `line ${i}\n`).join("")}ab`);
  });

  test("writes as soon as 64 KiB are gathered, and waits for drain when the stream is full", async () => {
    const { stream, writes } = recordingStream(1024);
    const writer = new CoalescedWriter(stream);
    const chunk = "x".repeat(1024);
    for (let i = 0; i < 200; i++) await writer.write(chunk);
    expect(writes.length).toBe(3);
    expect(writes.every((w) => w.length === 64 * 1024)).toBe(true);
    await writer.flush();
    expect(writes.join("").length).toBe(200 * 1024);
  });

  test("a chunk waits at most 100 ms, so a slow run shows each result as it comes", async () => {
    vi.useFakeTimers();
    const { stream, writes } = recordingStream();
    const writer = new CoalescedWriter(stream);
    await writer.write("first result\n");
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(writes).toEqual(["first result\n"]);
  });

  test("a write that failed on the timer is reported by the next flush", async () => {
    vi.useFakeTimers();
    const { stream } = recordingStream(1, true);
    stream.on("error", () => undefined);
    const writer = new CoalescedWriter(stream);
    await writer.write("x");
    vi.advanceTimersByTime(100);
    await vi.runAllTimersAsync();
    await expect(writer.flush()).rejects.toThrow("disk full");
  });

  test("a small write that fails while nothing waits is reported by the next call, not an unhandled error", async () => {
    const { stream } = recordingStream(1 << 20, true);
    const writer = new CoalescedWriter(stream);
    await writer.write("x".repeat(70 * 1024));
    // The stream has failed and is destroyed by now; a write to it would never drain.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stream.destroyed).toBe(true);
    await writer.write("y".repeat(70 * 1024)).then(
      () => expect.unreachable(),
      (error: Error) => expect(error.message).toBe("disk full"),
    );
  });
});
