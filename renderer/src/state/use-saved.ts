import { useCallback, useEffect, useRef, useState } from 'react';

const SHOW_MS = 2_500;

/** "Saved" feedback after a settings change (finding 10): true for a moment after each successful save. */
export function useSavedFlash(): [boolean, () => void] {
  const [shown, setShown] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const flash = useCallback(() => {
    setShown(true);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setShown(false), SHOW_MS);
  }, []);
  return [shown, flash];
}
