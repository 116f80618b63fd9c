/** A fresh unique id (crypto.randomUUID: available in secure contexts, which localhost is). */
export function newId(prefix = ''): string {
  return `${prefix}${crypto.randomUUID()}`;
}
