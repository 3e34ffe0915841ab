// Runs `work` one at a time: a call while it runs makes it run once more at the end, and every
// caller gets the promise of the run under way.
export function oneAtATime(work, onDone = () => {}) {
  let running = null;
  let again = false;
  return (...args) => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await work(...args);
      } while (again);
    })().finally(() => {
      running = null;
      onDone();
    });
    return running;
  };
}
