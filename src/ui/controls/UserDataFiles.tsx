/**
 * Data sets from the user's own files, under the data-set select: a file picker (or files
 * dropped here) for a CIFAR-10 / CIFAR-100 binary archive (or its batch files), the four IDX
 * files of the MNIST family or a .zip of images in class folders, and a folder picker for such
 * a folder (or such a folder dropped here); read in the engine with a progress bar and kept in this browser; the kept sets with their size, each removable; and, when the
 * chosen data set is one of these and not opened yet, which file to open.
 */
import { useState, type ChangeEvent, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DATASET_REGISTRY } from '../../core/datasets';
import { useApp } from '../store-context';
import { droppedFiles, type DroppedEntry } from './dropped-files';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
const shortLabel = (label: string) => label.split(' (')[0]!;

export function UserDataFiles() {
  const userData = useApp(useShallow((s) => s.userData));
  const reading = useApp(useShallow((s) => s.userDataReading));
  const error = useApp((s) => s.userDataError);
  const dataset = useApp((s) => s.config.dataset);
  const openDataFiles = useApp((s) => s.openDataFiles);
  const removeUserData = useApp((s) => s.removeUserData);
  const [dragging, setDragging] = useState(false);
  const entry = DATASET_REGISTRY[dataset];
  const missing = entry.userFiles !== undefined && !userData.some((d) => d.id === dataset);

  /** Either picker's files (a folder's with their paths), read at once; the picker is cleared. */
  const openPicked = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length > 0) void openDataFiles(files);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    // The entries are only there during the event: taken now, walked after.
    const entries = [...event.dataTransfer.items].map(
      (item) => item.webkitGetAsEntry() as DroppedEntry | null,
    );
    const files = [...event.dataTransfer.files];
    // A folder that cannot be walked is handed on as dropped: the reader says what it is not.
    void droppedFiles(entries, files)
      .catch(() => ({ files, paths: undefined }))
      .then((dropped) => {
        if (dropped.files.length > 0) void openDataFiles(dropped.files, dropped.paths);
      });
  };

  return (
    <div
      className={`field user-data${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label className="user-data-open">
        Open data file…
        <input type="file" multiple disabled={reading !== null} onChange={openPicked} />
      </label>
      <label className="user-data-open">
        Open image folder…
        <input
          type="file"
          multiple
          disabled={reading !== null}
          // Chromium, Firefox and Safari all pick a folder with this (not in React's types).
          {...{ webkitdirectory: '' }}
          onChange={openPicked}
        />
      </label>
      <p className="hint">
        CIFAR-10 or CIFAR-100, binary version (cifar-10-binary.tar.gz, cifar-100-binary.tar.gz, or
        its .bin files), the four IDX files of MNIST, Fashion-MNIST, KMNIST or EMNIST, or your own
        images in one folder per class (a .zip or a folder: &lt;class&gt;/&lt;image&gt;.png or .jpg,
        or train/&lt;class&gt;/ and test/&lt;class&gt;/; without a test folder 20% of each class is
        held out for testing): read here, kept in this browser. Or drop them here.
      </p>
      {missing ? (
        <p className="hint" role="status">
          Not built in: open {entry.userFiles}.
        </p>
      ) : null}
      {reading ? (
        <p role="status">
          Reading {reading.fileName}…{' '}
          <progress aria-label={`Reading ${reading.fileName}`} max={1} value={reading.fraction} />{' '}
          {Math.round(reading.fraction * 100)}%
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {userData.length > 0 ? (
        <ul className="user-data-list" aria-label="Kept in this browser">
          {userData.map((d) => (
            <li key={d.id}>
              {shortLabel(d.label)}: {d.fileName},{' '}
              {d.classNames ? `${d.classNames.length} classes, ` : ''}
              {d.train.toLocaleString('en-US')} / {d.test.toLocaleString('en-US')} images
              {d.heldOut ? ' (test: 20% of each class held out)' : ''}, {megabytes(d.storedBytes)}{' '}
              kept{' '}
              <button
                type="button"
                aria-label={`Remove ${shortLabel(d.label)}`}
                onClick={() => void removeUserData(d.id)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
