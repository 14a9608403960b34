import { useCallback, useEffect, useState } from 'react';

/** Favourite usernames, per signed-in user, kept in this window's local storage. */
function key(userId: string): string {
  return `softphone.favourites.${userId}`;
}

export function loadFavourites(userId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function useFavourites(userId: string | null): [string[], (username: string) => void] {
  const [favourites, setFavourites] = useState<string[]>([]);
  useEffect(() => setFavourites(userId ? loadFavourites(userId) : []), [userId]);
  const toggle = useCallback(
    (username: string) => {
      if (!userId) return;
      setFavourites((current) => {
        const next = current.includes(username) ? current.filter((u) => u !== username) : [...current, username];
        localStorage.setItem(key(userId), JSON.stringify(next));
        return next;
      });
    },
    [userId],
  );
  return [favourites, toggle];
}
