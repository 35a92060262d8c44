/** Debug output: silent unless the tracker runs with `debug`. */
export type Log = (...args: unknown[]) => void;

/** Calls `run`; an exception is logged in debug mode and never reaches the host page. */
export const attempt = <R>(log: Log, run: () => R): R | undefined => {
  try {
    return run();
  } catch (error) {
    log(error);
  }
};
