/** Deletes a Map's oldest entry (Maps keep insertion order), so a bounded cache stays bounded. */
export function evictOldest<K, V>(map: Map<K, V>): void {
  const oldest = map.keys().next();
  if (!oldest.done) map.delete(oldest.value);
}
