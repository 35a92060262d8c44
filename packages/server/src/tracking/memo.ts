/**
 * A function of a string, remembered for the last `max` distinct arguments. Visits repeat the same few thousand user
 * agents, so parsing each once saves most of the work; when the table is full the oldest entry goes first, so
 * memory stays bounded whatever arrives.
 */
export function memoizeByString<T>(fn: (value: string) => T, max: number): (value: string) => T {
  const remembered = new Map<string, T>();
  return (value) => {
    const known = remembered.get(value);
    if (known !== undefined || remembered.has(value)) return known as T;
    const result = fn(value);
    if (remembered.size >= max) remembered.delete(remembered.keys().next().value!);
    remembered.set(value, result);
    return result;
  };
}
