/**
 * Whether `value` can be a Waypost click id: 8 to 32 URL-safe characters, as the server's `ClickIdSchema`
 * says, so that a value the server would refuse is never stored. That alone rejects every unfilled macro with
 * braces, brackets, `%` or `#` (`{click_id}`, `%7Bclick_id%7D`, `[clickid]`, `#s2#`); the look-ahead rejects
 * the URL-safe ones, `__CLICK_ID__` and a templated `undefined`.
 */
export const isClickId = (value: unknown): value is string =>
  /^(?!__[A-Z\d_]+__$|undefined$)[\w-]{8,32}$/.test(value as string);
