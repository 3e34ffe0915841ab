import assert from "node:assert/strict";
import { test } from "node:test";

import { oneAtATime } from "../src/lib/one-at-a-time.js";

test("a call while the work runs shares its promise and makes it run once more, then it is done", async () => {
  let runs = 0;
  let done = 0;
  let release;
  const work = oneAtATime(async () => {
    runs += 1;
    if (runs === 1) await new Promise((resolve) => { release = resolve; });
  }, () => { done += 1; });
  const first = work();
  const second = work();
  const third = work();
  assert.equal(first, second);
  assert.equal(second, third);
  release();
  await first;
  assert.equal(runs, 2);
  assert.equal(done, 1);
  await work();
  assert.equal(runs, 3);
});
