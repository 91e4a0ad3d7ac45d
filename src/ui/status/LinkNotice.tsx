/** Says which parts of an opened share link were ignored, and that defaults stand in. */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store-context';

export function LinkNotice() {
  const notice = useApp(useShallow((s) => s.linkNotice));
  const dismiss = useApp((s) => s.dismissLinkNotice);
  if (notice.length === 0) return null;
  return (
    <section className="notice" role="status" aria-label="Link notice">
      <p>Parts of this link could not be read; their settings keep the defaults. Ignored:</p>
      <ul>
        {notice.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}
