/**
 * Keyboard operation of the main loop (space, r, p) and its sheet, opened with "?" or the
 * Shortcuts button. Keys typed in a text field or select belong to it, and Space on a focused
 * button presses that button (see keyBelongsToControl).
 */
import { useEffect, useState } from 'react';
import { useModalDialog } from './use-modal-dialog';
import { useAppStore } from '../store-context';
import { SHORTCUTS, keyBelongsToControl } from './shortcuts';

export function ShortcutSheet() {
  const store = useAppStore();
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (keyBelongsToControl(event.target, event.key)) return;
      if (event.key === '?') {
        setOpen(true);
        event.preventDefault();
        return;
      }
      const shortcut = SHORTCUTS.find((s) => s.keys.includes(event.key));
      if (shortcut && shortcut.act(store.getState())) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  return (
    <>
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        Keyboard shortcuts (?)
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="shortcuts-title"
        onClose={() => setOpen(false)}
        onCancel={() => setOpen(false)}
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table>
          <caption className="sr-only">Keys and what they do</caption>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.label}>
                <th scope="row">
                  <kbd>{s.label}</kbd>
                </th>
                <td>{s.what}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">
                <kbd>?</kbd>
              </th>
              <td>This sheet</td>
            </tr>
            <tr>
              <th scope="row">
                <kbd>Tab</kbd>
              </th>
              <td>
                Move between controls; Enter or Space presses the focused button (so Space steps a
                cycle only when no button has focus; R, P and ? work anywhere but in a text field or
                list)
              </td>
            </tr>
          </tbody>
        </table>
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </dialog>
    </>
  );
}
