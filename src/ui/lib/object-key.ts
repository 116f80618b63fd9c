/**
 * A number that stands for one object in a react-query key: a key made of the object itself would be
 * hashed through JSON (all 100,000 examples of a task, a Map as {}), while a derived query only needs
 * to know whether its input is the same object. Numbers are never reused; the objects are held weakly.
 */
const ids = new WeakMap<object, number>();
let next = 1;

export function objectKey(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = next++;
    ids.set(value, id);
  }
  return id;
}
