/**
 * What was dropped on the data-set area, as files with their paths: a dropped folder is walked
 * (the File and Directory Entries API: DataTransferItem.webkitGetAsEntry) so every file inside
 * keeps its path (`shapes/circle/0.png`), which an image folder's layout needs; dropped files
 * are themselves. Hidden files are skipped by the reader, not here.
 */

/** The part of a FileSystemEntry this walk reads (so tests can hand in plain objects). */
export interface DroppedEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath?: string;
  file?(success: (file: File) => void, failure?: (error: unknown) => void): void;
  createReader?(): {
    readEntries(success: (entries: DroppedEntry[]) => void, failure?: (e: unknown) => void): void;
  };
}

export interface DroppedFiles {
  files: File[];
  /** Each file's path, where a folder was dropped; undefined when only files were. */
  paths?: string[];
}

/** Every file under `entry`, with its path from the dropped folder's own name. */
async function walk(entry: DroppedEntry, prefix: string, out: [File, string][]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile && entry.file) {
    out.push([await new Promise<File>((resolve, reject) => entry.file!(resolve, reject)), path]);
    return;
  }
  if (!entry.isDirectory || !entry.createReader) return;
  const reader = entry.createReader();
  // readEntries gives a batch at a time (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<DroppedEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, path, out);
  }
}

/**
 * The dropped files: `entries` (one per dropped item, null where the browser gives none) and
 * `files` (the DataTransfer's own list) as they come from a drop event.
 */
export async function droppedFiles(
  entries: readonly (DroppedEntry | null)[],
  files: readonly File[],
): Promise<DroppedFiles> {
  if (!entries.some((e) => e?.isDirectory)) return { files: [...files] };
  const out: [File, string][] = [];
  for (const entry of entries) if (entry) await walk(entry, '', out);
  return { files: out.map(([file]) => file), paths: out.map(([, path]) => path) };
}
