/**
 * U+0000 in request text. PostgreSQL cannot store it in `text` at all (the insert fails) and SQLite cuts strings at
 * it, so it must never reach storage: the public tracking endpoints strip it, since networks and browsers send what
 * they send, and the API refuses it, naming the field. Header values need nothing: Node's HTTP parser refuses a
 * request whose headers hold NUL before it reaches Express.
 */
const NUL = '\u0000';

type Walked = { value: unknown; path: string[] };

/**
 * The dotted path of the first string or object key in `value` that holds NUL ('' for `value` itself), or undefined
 * when there is none. It walks without recursion, because a JSON body can nest deeper than the call stack allows.
 */
export function findNul(value: unknown): string | undefined {
  const stack: Walked[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes(NUL)) return path.join('.');
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      // Pushed in reverse, so that the first offender in document order is the one found.
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i]!;
        if (key.includes(NUL)) return [...path, key].join('.');
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/**
 * `value` with NUL removed from every string and object key, at any depth; `value` itself when it holds none. Two
 * keys that become one (`tx%00id` and `txid`) keep both values as a repeated parameter, so neither wins silently.
 */
export function withoutNul<T>(value: T): T {
  if (findNul(value) === undefined) return value;
  const root: { value?: unknown } = {};
  const work: [item: unknown, place: (copy: unknown) => void][] = [[value, (copy) => (root.value = copy)]];
  while (work.length > 0) {
    const [item, place] = work.pop()!;
    if (typeof item === 'string') {
      place(item.replaceAll(NUL, ''));
    } else if (Array.isArray(item)) {
      const copy: unknown[] = [];
      place(copy);
      item.forEach((child, index) => work.push([child, (stripped) => (copy[index] = stripped)]));
    } else if (item !== null && typeof item === 'object') {
      const copy: Record<string, unknown> = {};
      place(copy);
      for (const [key, child] of Object.entries(item)) {
        const name = key.replaceAll(NUL, '');
        work.push([child, (stripped) => setOwn(copy, name, Object.hasOwn(copy, name) ? [copy[name], stripped].flat() : stripped)]);
      }
    } else {
      place(item);
    }
  }
  return root.value as T;
}

/** Defines the key as plain data, so that a "__proto__" parameter cannot change the copy's prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
