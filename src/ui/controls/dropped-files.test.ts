import { describe, expect, it } from 'vitest';
import { droppedFiles, type DroppedEntry } from './dropped-files';

const file = (name: string): DroppedEntry => ({
  isFile: true,
  isDirectory: false,
  name,
  file: (success) => success(new File([name], name)),
});

/** A folder whose reader hands out its children two at a time, then an empty batch. */
const folder = (name: string, children: DroppedEntry[]): DroppedEntry => ({
  isFile: false,
  isDirectory: true,
  name,
  createReader: () => {
    let at = 0;
    return {
      readEntries: (success) => {
        success(children.slice(at, at + 2));
        at += 2;
      },
    };
  },
});

describe('dropped files', () => {
  it('walks a dropped folder, every file with its path from the folder', async () => {
    const shapes = folder('shapes', [
      folder('circle', [file('0.png'), file('1.png'), file('2.png')]),
      folder('square', [file('0.png')]),
      file('README.txt'),
    ]);
    const dropped = await droppedFiles([shapes], []);
    expect(dropped.paths).toEqual([
      'shapes/circle/0.png',
      'shapes/circle/1.png',
      'shapes/circle/2.png',
      'shapes/square/0.png',
      'shapes/README.txt',
    ]);
    expect(dropped.files.map((f) => f.name)).toEqual([
      '0.png',
      '1.png',
      '2.png',
      '0.png',
      'README.txt',
    ]);
  });

  it('gives dropped files as they are, without paths', async () => {
    const files = [new File(['z'], 'shapes.zip')];
    expect(await droppedFiles([file('shapes.zip'), null], files)).toEqual({ files });
  });
});
