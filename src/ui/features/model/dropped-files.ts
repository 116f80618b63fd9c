/**
 * The files of a drop on the model panel, named by their paths ("/SmolLM2/config.json"), for pickedModel
 * (engine/sources/local-files.ts), which names them as on the Hub and leaves out what lies in subfolders.
 *
 * A drop's DataTransferItems are readable only while the drop event runs, so the caller takes their entries
 * (`webkitGetAsEntry`) synchronously and passes them here. Folders are walked 3 levels down at most: the model's
 * files lie in the dropped folder, and the level below tells "pick that subfolder" apart; deeper trees (.git,
 * checkpoints) are not walked at all.
 */
const MAX_DEPTH = 3;

export interface DroppedFile {
  readonly path: string;
  readonly blob: Blob;
}

export async function droppedFiles(entries: readonly FileSystemEntry[]): Promise<DroppedFile[]> {
  const out: DroppedFile[] = [];
  for (const entry of entries) await walk(entry, 1, out);
  return out;
}

async function walk(entry: FileSystemEntry, depth: number, out: DroppedFile[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
  if (isFile(entry)) {
    out.push({ path: entry.fullPath, blob: await new Promise<File>((resolve, reject) => entry.file(resolve, reject)) });
    return;
  }
  if (!isDirectory(entry)) return;
  const reader = entry.createReader();
  // readEntries gives a folder's entries in batches (Chromium: 100 at a time) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return;
    for (const child of batch) await walk(child, depth + 1, out);
  }
}

const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;
