/**
 * Collection helpers every layer shares; here because config/ is the layer the others build on.
 */

/**
 * Appends `value` to `key`'s list in `lists`, in place. Copying the list on each append
 * (`[...(lists.get(key) ?? []), value]`) is quadratic in the list's length, and lists keyed by an
 * account group, a target or a principal grow with the organization.
 */
export function appendTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}
