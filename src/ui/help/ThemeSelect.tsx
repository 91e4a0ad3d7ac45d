/** Light, dark, or the system's theme; remembered in this browser (not part of a link). */
import { useEffect, useId, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const KEY = 'pruning-lab-theme';

function stored(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function ThemeSelect() {
  const [theme, setTheme] = useState<Theme>(stored);
  const id = useId();
  useEffect(() => {
    const root = document.documentElement;
    const system = window.matchMedia?.('(prefers-color-scheme: dark)');
    const apply = () => {
      root.dataset.theme = theme === 'system' ? (system?.matches ? 'dark' : 'light') : theme;
    };
    apply();
    system?.addEventListener('change', apply);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // private mode: the choice lasts for this page only
    }
    return () => system?.removeEventListener('change', apply);
  }, [theme]);
  return (
    <span>
      <label htmlFor={id}>Theme </label>
      <select id={id} value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </span>
  );
}
