import { inflateRawSync } from 'node:zlib';

/**
 * The files of a zip archive as text, read from its local headers with Node's zlib (stored or deflated entries, sizes
 * in the header: what a one-shot zip writer such as the studio's ui/lib/zip.ts writes). Independent of the studio's
 * code, so a test reads what a user's unzip would.
 */
export function unzipText(bytes: Buffer): Map<string, string> {
  return new Map([...unzipFiles(bytes)].map(([name, data]) => [name, data.toString('utf8')]));
}

/** The files of a zip archive as bytes (a model's safetensors), read as unzipText reads them. */
export function unzipFiles(bytes: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  while (at + 30 <= bytes.length && bytes.readUInt32LE(at) === 0x04034b50) {
    const method = bytes.readUInt16LE(at + 8);
    const compressed = bytes.readUInt32LE(at + 18);
    const nameLength = bytes.readUInt16LE(at + 26);
    const extraLength = bytes.readUInt16LE(at + 28);
    const name = bytes.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const start = at + 30 + nameLength + extraLength;
    const data = bytes.subarray(start, start + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: compression method ${method} is not read here`);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at = start + compressed;
  }
  return files;
}
