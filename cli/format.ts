/** 2718e9 -> "2.718 TFLOP": four significant digits with a decimal prefix. */
export function decimal(value: number, unit: string): string {
  const prefixes: readonly [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  const [scale, prefix] = prefixes.find(([p]) => Math.abs(value) >= p) ?? [1, ''];
  return `${(value / scale).toPrecision(4)} ${prefix}${unit}`;
}
