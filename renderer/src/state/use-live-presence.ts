import { useEffect, useMemo, useState } from 'react';
import type { DirectoryEntry, PresenceStatus } from '../../../shared/protocol';
import { useServices } from './app-context';

/**
 * Keeps the presence of the people on screen live: subscribes to exactly these users whenever
 * the list changes (and to nobody once the screen is gone) and applies every phone.presence
 * event. A live status wins over the directory's, which is only what it was when fetched.
 */
export function useLivePresence(people: DirectoryEntry[]): DirectoryEntry[] {
  const { bridge } = useServices();
  const [live, setLive] = useState<ReadonlyMap<string, PresenceStatus>>(() => new Map());
  const userIdsKey = [...new Set(people.map((person) => person.userId))].sort().join(',');

  useEffect(() => bridge.on('phone.presence', ({ userId, status }) => setLive((previous) => new Map(previous).set(userId, status))), [bridge]);

  useEffect(() => {
    let current = true;
    const userIds = userIdsKey ? userIdsKey.split(',') : [];
    void bridge.invoke('phone.subscribePresence', { userIds }).then((result) => {
      // Refused (offline, signed out): the directory's statuses stay; the host renews the set at the next connect.
      if (current && result.ok) setLive(new Map(result.value.presence.map(({ userId, status }) => [userId, status])));
    });
    return () => {
      current = false;
    };
  }, [bridge, userIdsKey]);

  useEffect(() => () => void bridge.invoke('phone.subscribePresence', { userIds: [] }), [bridge]);

  return useMemo(
    () =>
      people.map((person) => {
        const status = live.get(person.userId);
        return status && status !== person.presence ? { ...person, presence: status } : person;
      }),
    [people, live],
  );
}
