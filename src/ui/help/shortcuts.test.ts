// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { keyBelongsToControl } from './shortcuts';

afterEach(() => document.body.replaceChildren());

function element(html: string): Element {
  document.body.innerHTML = html;
  return document.body.querySelector('[data-target]')!;
}

describe('keyBelongsToControl', () => {
  it('leaves R, P and ? to the shortcuts on a focused button, link, summary or checkbox', () => {
    for (const html of [
      '<button data-target>Classroom mode</button>',
      '<button><span data-target>icon</span></button>',
      '<a href="#x" data-target>link</a>',
      '<details><summary data-target>more</summary></details>',
      '<input type="checkbox" data-target />',
    ]) {
      const target = element(html);
      for (const key of ['r', 'R', 'p', '?']) expect(keyBelongsToControl(target, key)).toBe(false);
      // Space presses (or ticks) the focused control, as everywhere on the web.
      expect(keyBelongsToControl(target, ' ')).toBe(true);
    }
  });

  it('gives every key typed in a text field, number field, select or textarea to it', () => {
    for (const html of [
      '<input data-target />',
      '<input type="number" data-target />',
      '<select data-target><option>a</option></select>',
      '<textarea data-target></textarea>',
      '<div contenteditable="true" data-target></div>',
    ]) {
      const target = element(html);
      for (const key of [' ', 'r', 'p', '?']) expect(keyBelongsToControl(target, key)).toBe(true);
    }
  });

  it('leaves every key to the shortcuts on the page itself', () => {
    const target = element('<h1 data-target>Pruning Lab</h1>');
    for (const key of [' ', 'r', 'p', '?']) expect(keyBelongsToControl(target, key)).toBe(false);
    expect(keyBelongsToControl(document.body, ' ')).toBe(false);
    expect(keyBelongsToControl(null, 'r')).toBe(false);
  });
});
