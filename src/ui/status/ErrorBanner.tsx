/** The last error, shown with its name and message until dismissed. */
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store-context';

export function ErrorBanner() {
  const error = useApp(useShallow((s) => s.error));
  const dismiss = useApp((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert">
      <strong>{error.name}:</strong> {error.message}
      <button type="button" onClick={dismiss} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
