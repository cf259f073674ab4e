import { describe, expect, it } from "vitest";
import { RunQueue } from "../src/server/run-queue.js";

/** A run the test ends by hand, recording when it started. */
function heldRun(id: string, started: string[]) {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  return {
    run: {
      id,
      start: () => {
        started.push(id);
        return ended;
      },
    },
    end,
  };
}

/** Lets settled promises run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the run queue", () => {
  it("runs at most maxRuns at once; the others wait in upload order, told their place as it changes", async () => {
    const started: string[] = [];
    const places: [string, number][] = [];
    const queue = new RunQueue(2, (id, position) => places.push([id, position]));
    const runs = ["a", "b", "c", "d"].map((id) => heldRun(id, started));
    for (const { run } of runs) queue.add(run);
    expect(started).toEqual(["a", "b"]);
    expect([queue.position("c"), queue.position("d"), queue.position("a")]).toEqual([1, 2, undefined]);
    expect(places).toEqual([
      ["c", 1],
      ["d", 2],
    ]);
    runs[1]?.end();
    await settle();
    expect(started).toEqual(["a", "b", "c"]);
    expect(queue.position("d")).toBe(1);
    expect(places.at(-1)).toEqual(["d", 1]);
    runs[0]?.end();
    await settle();
    expect(started).toEqual(["a", "b", "c", "d"]);
  });

  it("goes on when a run's start throws", async () => {
    const started: string[] = [];
    const queue = new RunQueue(1, () => {});
    queue.add({ id: "bad", start: () => Promise.reject(new Error("disk gone")) });
    const next = heldRun("next", started);
    queue.add(next.run);
    await settle();
    expect(started).toEqual(["next"]);
  });

  it("on close starts nothing more, answers the waiting runs, and settles once the running ones end", async () => {
    const started: string[] = [];
    const queue = new RunQueue(1, () => {});
    const first = heldRun("first", started);
    queue.add(first.run);
    queue.add(heldRun("second", started).run);
    expect(queue.close()).toEqual(["second"]);
    let settled = false;
    const waiting = queue.settled().then(() => {
      settled = true;
    });
    await settle();
    expect(settled).toBe(false);
    first.end();
    await waiting;
    expect(started).toEqual(["first"]);
  });

  it("refuses a limit below one", () => {
    expect(() => new RunQueue(0, () => {})).toThrow("maxRuns must be a whole number ≥ 1 (got 0)");
  });
});
